// SPDX-License-Identifier: GPL-2.0
/* The methods sipproxyd knows by name; any other token is an extension. */
#include "sip_method.h"

static const char *const names[SIP_METHOD_COUNT] = {
	[SIP_METHOD_INVITE] = "INVITE",
	[SIP_METHOD_ACK] = "ACK",
	[SIP_METHOD_BYE] = "BYE",
	[SIP_METHOD_CANCEL] = "CANCEL",
	[SIP_METHOD_REGISTER] = "REGISTER",
	[SIP_METHOD_OPTIONS] = "OPTIONS",
	[SIP_METHOD_MESSAGE] = "MESSAGE",
	[SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE",
	[SIP_METHOD_NOTIFY] = "NOTIFY",
	[SIP_METHOD_INFO] = "INFO",
	[SIP_METHOD_UPDATE] = "UPDATE",
	[SIP_METHOD_PRACK] = "PRACK",
	[SIP_METHOD_REFER] = "REFER",
	[SIP_METHOD_PUBLISH] = "PUBLISH",
};

enum sip_method sip_method_lookup(struct sip_str token)
{
	int m;

	for (m = 1; m < SIP_METHOD_COUNT; m++)
		if (sip_str_eq(token, sip_str_make(names[m], strlen(names[m]))))
			return (enum sip_method)m;
	return SIP_METHOD_OTHER;
}

/* The name of a known method; NULL for SIP_METHOD_OTHER. */
const char *sip_method_name(enum sip_method method)
{
	return method > SIP_METHOD_OTHER && method < SIP_METHOD_COUNT ? names[method] : NULL;
}
