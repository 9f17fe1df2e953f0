/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_HVAL_H
#define SIPPROXY_SIP_HVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "sip_method.h"
#include "sip_str.h"

/* CSeq numbers are below 2**31 (RFC 3261 8.1.1.5). */
#define SIP_CSEQ_MAX 0x7fffffffu

struct sip_cseq {
	uint32_t number;
	struct sip_str method;
	enum sip_method method_id;
};

/* media-type = m-type SLASH m-subtype *( SEMI m-parameter ) */
struct sip_ctype {
	struct sip_str type;
	struct sip_str subtype;
	struct sip_str params;		/* from the first ';', empty if none */
};

/*
 * Grammars of single-valued header fields. Each takes the whole field
 * value (as struct sip_hdr.value holds it) and fails unless all of it
 * matches.
 */
bool sip_cseq_parse(struct sip_str value, struct sip_cseq *cseq);
bool sip_callid_valid(struct sip_str value);
bool sip_ctype_parse(struct sip_str value, struct sip_ctype *ct);
bool sip_retry_after_valid(struct sip_str value);

#endif
