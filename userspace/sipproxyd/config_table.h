/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_CONFIG_TABLE_H
#define SIPPROXY_CONFIG_TABLE_H

/* Inside the configuration code: the option table and the value parsers. */

#include "config.h"

enum config_type {
	CONFIG_T_TEXT,		/* printable, no '"' or '\' (it is quoted on the wire) */
	CONFIG_T_PATH,		/* absolute path, or empty */
	CONFIG_T_UINT,		/* decimal in [min, max] */
	CONFIG_T_BOOL,		/* yes/no, true/false, on/off */
	CONFIG_T_ENUM,		/* one of names[], stored as its index */
	CONFIG_T_FLAGS,		/* a list of names[], stored as bit (1 << index) */
	CONFIG_T_DURATION,	/* number + ms/s/m/h, in [min, max] milliseconds */
	CONFIG_T_ENDPOINTS,	/* list of ADDR:PORT / [ADDR6]:PORT */
	CONFIG_T_ADDRESS,	/* one IPv4 or IPv6 address, or empty */
	CONFIG_T_PORT_RANGE,	/* FIRST-LAST, FIRST even, within [min, max] */
	CONFIG_T_CIDRS,		/* list of ADDR[/LEN] */
	CONFIG_T_DOMAINS,	/* list of host names or addresses */
};

struct config_option {
	const char *section;
	const char *key;
	enum config_type type;
	size_t offset;			/* of the field in struct config */
	unsigned int min, max;		/* UINT, DURATION, PORT_RANGE */
	const char *const *names;	/* ENUM, FLAGS: NULL-terminated */
	const char *def;		/* the default, as it would be written */
	const char *doc;		/* one line for --help-like listings */
};

#define CONFIG_OPTION_COUNT 37

extern const struct config_option config_options[CONFIG_OPTION_COUNT];
/* Every section, [routes] included, which has free-form keys. */
extern const char *const config_sections[];
#define CONFIG_SECTION_COUNT 9
#define CONFIG_ROUTES_SECTION "routes"

const struct config_option *config_option_find(const char *section, const char *key);

int config_value_set(struct config *cfg, const struct config_option *opt,
		     const char *value, char *why, size_t len);
void config_value_free(struct config *cfg, const struct config_option *opt);
/* RFC 1035: 253 characters in a host name. */
#define CONFIG_HOST_NAME_MAX 253

int config_address_parse(struct endpoint *ep, const char *text);
bool config_host_name_valid(char *name);

int config_route_add(struct config *cfg, const char *match, const char *next_hop,
		     char *why, size_t len);
void config_routes_free(struct config *cfg);

/*
 * Checks across options. @lines[i] is the line config_options[i] was set
 * on (0: default); on failure @line is where to point the user.
 */
int config_check(const struct config *cfg, const unsigned int *lines,
		 unsigned int *line, char *why, size_t len);

#endif
