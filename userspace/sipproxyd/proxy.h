/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_PROXY_H
#define SIPPROXY_PROXY_H

#include "core.h"

/*
 * The stateful proxy (RFC 3261 section 16): request validation, routing,
 * forking to every binding of a user, response selection and CANCEL.
 */
void proxy_request(struct core *c, struct txn *t, const struct sip_msg *msg,
		   const struct tp_addr *src);
void proxy_ack(struct core *c, const struct sip_msg *msg, const struct tp_addr *src);
void proxy_cancel(struct core *c, struct txn *invite);
void proxy_stray_response(struct core *c, const struct sip_msg *msg);
bool proxy_resume_cancel(struct core *c, struct txn *t, const struct sip_msg *msg,
			 const struct tp_addr *src);
bool proxy_resume_response(struct core *c, const struct sip_msg *msg);
bool proxy_cancel_stateless(struct core *c, struct txn *t, const struct sip_msg *msg,
			    const struct tp_addr *src);

/* struct txn_ops callbacks; @ctx is the core. */
void proxy_on_response(void *ctx, struct txn *t, const struct sip_msg *msg);
void proxy_on_timeout(void *ctx, struct txn *t, bool transport_error);
void proxy_on_terminated(void *ctx, struct txn *t);

#endif
