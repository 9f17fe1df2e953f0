/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_TXN_KEY_H
#define SIPPROXY_TXN_KEY_H

#include "sip_msg.h"

/* Longest key: a branch, a sent-by and a method fit with room to spare. */
#define TXN_KEY_MAX 1024

int txn_key_server(const struct sip_msg *msg, enum sip_method as_method, char key[TXN_KEY_MAX]);
int txn_key_client(struct sip_str branch, struct sip_str method, char key[TXN_KEY_MAX]);

#endif
