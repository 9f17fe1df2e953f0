// SPDX-License-Identifier: GPL-2.0
/* CSeq, Call-ID, Content-Type, the numeric fields and Retry-After. */
#include "sip_hval.h"
#include "sip_lex.h"

/* CSeq = 1*DIGIT LWS Method; the LWS may be a fold. */
bool sip_cseq_parse(struct sip_str value, struct sip_cseq *cseq)
{
	struct sip_scan sc;
	uint64_t n;

	sip_scan_init(&sc, value);
	if (!sip_scan_uint(&sc, SIP_CSEQ_MAX, &n) || !sip_scan_lws(&sc) ||
	    !sip_scan_token(&sc, &cseq->method) || !sip_scan_eof(&sc))
		return false;
	cseq->number = (uint32_t)n;
	cseq->method_id = sip_method_lookup(cseq->method);
	return true;
}

/* callid = word [ "@" word ] */
bool sip_callid_valid(struct sip_str value)
{
	struct sip_scan sc;
	struct sip_str w;

	sip_scan_init(&sc, value);
	if (!sip_scan_word(&sc, &w))
		return false;
	if (sip_scan_char(&sc, '@') && !sip_scan_word(&sc, &w))
		return false;
	return sip_scan_eof(&sc);
}

/* m-parameter = token EQUAL ( token / quoted-string ) */
bool sip_ctype_parse(struct sip_str value, struct sip_ctype *ct)
{
	struct sip_scan sc;
	const char *params;

	sip_scan_init(&sc, value);
	if (!sip_scan_token(&sc, &ct->type) || !sip_scan_sep(&sc, '/') ||
	    !sip_scan_token(&sc, &ct->subtype))
		return false;
	params = sc.p;
	while (sip_scan_sep(&sc, ';')) {
		struct sip_str name, v;

		if (!sip_scan_token(&sc, &name) || !sip_scan_sep(&sc, '='))
			return false;
		if (!(sip_scan_peek(&sc) == '"' ? sip_scan_quoted(&sc, &v) : sip_scan_token(&sc, &v)))
			return false;
	}
	ct->params = sip_str_span(params, sc.p);
	return sip_scan_eof(&sc);
}

/* Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) */
bool sip_retry_after_valid(struct sip_str value)
{
	struct sip_scan sc;
	uint64_t secs;

	sip_scan_init(&sc, value);
	if (!sip_scan_uint(&sc, UINT32_MAX, &secs))
		return false;
	sip_scan_sws(&sc);
	sip_scan_comment(&sc);
	while (sip_scan_sep(&sc, ';')) {
		struct sip_str name, v;

		if (!sip_scan_param(&sc, &name, &v))
			return false;
	}
	return sip_scan_eof(&sc);
}
