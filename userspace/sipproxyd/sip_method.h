/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_METHOD_H
#define SIPPROXY_SIP_METHOD_H

#include "sip_str.h"

/* Methods are case-sensitive (RFC 3261 7.1): "invite" is an extension method. */
enum sip_method {
	SIP_METHOD_OTHER = 0,	/* an extension token, kept as written */
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_REGISTER,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_MESSAGE,	/* RFC 3428 */
	SIP_METHOD_SUBSCRIBE,	/* RFC 6665 */
	SIP_METHOD_NOTIFY,	/* RFC 6665 */
	SIP_METHOD_INFO,	/* RFC 6086 */
	SIP_METHOD_UPDATE,	/* RFC 3311 */
	SIP_METHOD_PRACK,	/* RFC 3262 */
	SIP_METHOD_REFER,	/* RFC 3515 */
	SIP_METHOD_PUBLISH,	/* RFC 3903 */
	SIP_METHOD_COUNT
};

enum sip_method sip_method_lookup(struct sip_str token);
const char *sip_method_name(enum sip_method method);

#endif
