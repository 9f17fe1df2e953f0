// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for configuration values, one per type in config_table.h. Each
 * reads the whole value text, stores the result in its struct config
 * field only when all of it is valid, and otherwise explains why in @why.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_table.h"

#define SEC_MS 1000U
#define MIN_MS (60 * SEC_MS)
#define HOUR_MS (60 * MIN_MS)

/* RFC 1035: 63 characters in a label. */
#define HOST_LABEL_MAX_LEN 63

__attribute__((format(printf, 3, 4)))
static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

static void *field_of(struct config *cfg, const struct config_option *opt)
{
	return (char *)cfg + opt->offset;
}

/* A comma-separated list, split in a private copy of the value. */
struct list {
	char *buf;
	char *item[CONFIG_LIST_MAX];
	size_t n;
};

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

static int list_split(struct list *l, const char *value, char *why, size_t len)
{
	char *p, *comma;

	l->n = 0;
	l->buf = strdup(value);
	if (!l->buf)
		return fail(why, len, "out of memory");
	if (!*trim(l->buf))
		return 0;
	for (p = l->buf;; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (l->n == CONFIG_LIST_MAX)
			return fail(why, len, "more than %d entries", CONFIG_LIST_MAX);
		l->item[l->n] = trim(p);
		if (!*l->item[l->n])
			return fail(why, len, "empty entry in list");
		l->n++;
		if (!comma)
			return 0;
	}
}

/* Parses list entry @item into @elem; @prev holds the @i entries before it. */
typedef int item_parse_fn(void *elem, const void *prev, size_t i, char *item,
			  char *why, size_t len);

/*
 * Splits @value and parses each entry into a new array of @size-byte
 * elements, zeroed first. On success and on failure *@out and *@n hold the
 * array and its length for the caller to keep or free.
 */
static int list_parse(const char *value, size_t size, item_parse_fn *parse,
		      void **out, size_t *n, char *why, size_t len)
{
	char *v = NULL;
	struct list l;
	size_t i;
	int ret = list_split(&l, value, why, len);

	if (!ret && l.n) {
		v = calloc(l.n, size);
		if (!v)
			ret = fail(why, len, "out of memory");
	}
	for (i = 0; !ret && i < l.n; i++)
		ret = parse(v + i * size, v, i, l.item[i], why, len);
	*out = v;
	*n = v ? l.n : 0;
	free(l.buf);
	return ret;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int set_string(char **field, const char *value, char *why, size_t len)
{
	char *copy = strdup(value);

	if (!copy)
		return fail(why, len, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

static int set_text(char **field, const char *value, char *why, size_t len)
{
	if (!printable(value) || strpbrk(value, "\"\\"))
		return fail(why, len, "must be printable text without '\"' or '\\'");
	return set_string(field, value, why, len);
}

static int set_path(char **field, const char *value, char *why, size_t len)
{
	if (*value && *value != '/')
		return fail(why, len, "'%s' is not an absolute path", value);
	if (!printable(value))
		return fail(why, len, "control character in path");
	return set_string(field, value, why, len);
}

/* Decimal digits only, no sign or blanks; -1 when not a number or too big. */
static int parse_digits(const char *s, size_t n, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (n == 0 || n > 12)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int set_uint(unsigned int *field, const struct config_option *opt,
		    const char *value, char *why, size_t len)
{
	unsigned long long v;

	if (parse_digits(value, strlen(value), &v))
		return fail(why, len, "'%s' is not a whole number", value);
	if (v < opt->min || v > opt->max)
		return fail(why, len, "%llu is out of range (%u..%u)", v, opt->min, opt->max);
	*field = (unsigned int)v;
	return 0;
}

static int set_bool(bool *field, const char *value, char *why, size_t len)
{
	static const char *const yes[] = { "yes", "true", "on" };
	static const char *const no[] = { "no", "false", "off" };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!strcasecmp(value, yes[i])) {
			*field = true;
			return 0;
		}
		if (!strcasecmp(value, no[i])) {
			*field = false;
			return 0;
		}
	}
	return fail(why, len, "'%s' is not yes or no", value);
}

/* "a, b or c" from a NULL-terminated name list. */
static void join_names(const char *const *names, char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; names[i] && used < size; i++) {
		const char *sep = i == 0 ? "" : names[i + 1] ? ", " : " or ";

		used += (size_t)snprintf(buf + used, size - used, "%s%s", sep, names[i]);
	}
}

static int find_name(const char *const *names, const char *value)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcasecmp(names[i], value))
			return i;
	return -1;
}

static int set_enum(int *field, const struct config_option *opt, const char *value,
		    char *why, size_t len)
{
	int i = find_name(opt->names, value);
	char expected[128];

	if (i < 0) {
		join_names(opt->names, expected, sizeof(expected));
		return fail(why, len, "'%s' is not %s", value, expected);
	}
	*field = i;
	return 0;
}

static int set_flags(unsigned int *field, const struct config_option *opt,
		     const char *value, char *why, size_t len)
{
	struct list l;
	unsigned int flags = 0;
	char expected[128];
	size_t i;
	int ret = list_split(&l, value, why, len);

	for (i = 0; !ret && i < l.n; i++) {
		int bit = find_name(opt->names, l.item[i]);

		if (bit < 0) {
			join_names(opt->names, expected, sizeof(expected));
			ret = fail(why, len, "'%s' is not %s", l.item[i], expected);
			break;
		}
		if (flags & (1U << bit))
			ret = fail(why, len, "'%s' listed twice", l.item[i]);
		flags |= 1U << bit;
	}
	if (!ret && !flags)
		ret = fail(why, len, "needs at least one value");
	if (!ret)
		*field = flags;
	free(l.buf);
	return ret;
}

/* @ms as the largest unit dividing it: "90s", "5m", "500ms". */
static const char *format_duration(unsigned int ms, char buf[24])
{
	if (ms && ms % HOUR_MS == 0)
		snprintf(buf, 24, "%uh", ms / HOUR_MS);
	else if (ms && ms % MIN_MS == 0)
		snprintf(buf, 24, "%um", ms / MIN_MS);
	else if (ms && ms % SEC_MS == 0)
		snprintf(buf, 24, "%us", ms / SEC_MS);
	else
		snprintf(buf, 24, "%ums", ms);
	return buf;
}

static int set_duration(unsigned int *field, const struct config_option *opt,
			const char *value, char *why, size_t len)
{
	static const struct { const char *unit; unsigned int ms; } units[] = {
		{ "ms", 1 }, { "s", SEC_MS }, { "m", MIN_MS }, { "h", HOUR_MS },
	};
	size_t digits = strspn(value, "0123456789"), i;
	unsigned long long n, ms = 0;
	char lo[24], hi[24];

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(value + digits, units[i].unit))
			break;
	if (i == sizeof(units) / sizeof(units[0]) || parse_digits(value, digits, &n))
		return fail(why, len, "'%s' is not a duration (a number and ms, s, m or h)",
			    value);
	ms = n * units[i].ms;	/* n < 10^12 and ms <= 3.6e6: no overflow */
	if (ms < opt->min || ms > opt->max)
		return fail(why, len, "%s is out of range (%s..%s)", value,
			    format_duration(opt->min, lo), format_duration(opt->max, hi));
	*field = (unsigned int)ms;
	return 0;
}

static int parse_endpoint(void *elem, const void *prev, size_t i, char *item,
			  char *why, size_t len)
{
	const struct endpoint *seen = prev;
	struct endpoint *ep = elem;
	size_t j;

	if (endpoint_parse(ep, item))
		return fail(why, len, "'%s' is not ADDRESS:PORT or [IPV6]:PORT", item);
	for (j = 0; j < i; j++)
		if (endpoint_equal(ep, &seen[j]))
			return fail(why, len, "'%s' listed twice", item);
	return 0;
}

static int set_endpoints(struct config_endpoints *field, const char *value,
			 char *why, size_t len)
{
	void *v;
	size_t n;
	int ret = list_parse(value, sizeof(*field->v), parse_endpoint, &v, &n, why, len);

	if (ret) {
		free(v);
		return ret;
	}
	free(field->v);
	field->v = v;
	field->n = n;
	return 0;
}

/* An IPv4 or IPv6 address without port or brackets into @ep (port 0). */
int config_address_parse(struct endpoint *ep, const char *text)
{
	memset(ep, 0, sizeof(*ep));
	if (inet_pton(AF_INET, text, &ep->addr.v4) == 1) {
		ep->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, &ep->addr.v6) == 1) {
		ep->family = AF_INET6;
		return 0;
	}
	return -1;
}

static int set_address(struct endpoint *field, const char *value, char *why, size_t len)
{
	struct endpoint ep;

	if (!*value) {
		memset(field, 0, sizeof(*field));
		return 0;
	}
	if (config_address_parse(&ep, value))
		return fail(why, len, "'%s' is not an IPv4 or IPv6 address", value);
	*field = ep;
	return 0;
}

static int set_port_range(struct config_port_range *field, const struct config_option *opt,
			  const char *value, char *why, size_t len)
{
	const char *dash = strchr(value, '-');
	unsigned long long first, last;

	if (!dash || parse_digits(value, (size_t)(dash - value), &first) ||
	    parse_digits(dash + 1, strlen(dash + 1), &last))
		return fail(why, len, "'%s' is not FIRST-LAST", value);
	if (first < opt->min || last > opt->max || first >= last)
		return fail(why, len, "'%s' is not within %u-%u with FIRST below LAST",
			    value, opt->min, opt->max);
	if (first % 2)
		return fail(why, len, "'%s' must start on an even port (RTP), RTCP takes the odd one",
			    value);
	field->first = (unsigned int)first;
	field->last = (unsigned int)last;
	return 0;
}

/* Whether the bits of @ep past @prefix_len are all zero. */
static bool host_bits_clear(const struct endpoint *ep, unsigned int prefix_len)
{
	const uint8_t *b = ep->family == AF_INET ? (const uint8_t *)&ep->addr.v4 :
						    ep->addr.v6.s6_addr;
	unsigned int bytes = ep->family == AF_INET ? 4 : 16, i;

	for (i = prefix_len / 8; i < bytes; i++) {
		uint8_t mask = i == prefix_len / 8 ? (uint8_t)(0xff >> (prefix_len % 8)) : 0xff;

		if (b[i] & mask)
			return false;
	}
	return true;
}

static int parse_cidr(void *elem, const void *prev, size_t i, char *text, char *why, size_t len)
{
	struct config_cidr *c = elem;
	char *slash = strchr(text, '/');
	unsigned long long prefix = 0;
	unsigned int max;

	if (slash)
		*slash = '\0';
	if (config_address_parse(&c->net, text))
		return fail(why, len, "'%s' is not an IPv4 or IPv6 address", text);
	max = c->net.family == AF_INET ? 32 : 128;
	if (slash && (parse_digits(slash + 1, strlen(slash + 1), &prefix) || prefix > max))
		return fail(why, len, "'%s' is not a prefix length for %s (0..%u)", slash + 1,
			    text, max);
	c->prefix_len = slash ? (unsigned int)prefix : max;
	if (!host_bits_clear(&c->net, c->prefix_len))
		return fail(why, len, "'%s/%u' has bits set past the prefix length", text,
			    c->prefix_len);
	return 0;
}

static int set_cidrs(struct config_cidrs *field, const char *value, char *why, size_t len)
{
	void *v;
	size_t n;
	int ret = list_parse(value, sizeof(*field->v), parse_cidr, &v, &n, why, len);

	if (ret) {
		free(v);
		return ret;
	}
	free(field->v);
	field->v = v;
	field->n = n;
	return 0;
}

/*
 * A host name as RFC 3261 25.1 writes it: dot-separated labels of letters,
 * digits and inner hyphens, the last starting with a letter. Lower-cases
 * @name in place.
 */
bool config_host_name_valid(char *name)
{
	size_t total = strlen(name), label = 0;
	char *p, *last_label = name;

	if (total == 0 || total > CONFIG_HOST_NAME_MAX)
		return false;
	for (p = name; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
			last_label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
		if ((label == 0 && *p == '-') || ++label > HOST_LABEL_MAX_LEN)
			return false;
	}
	return label > 0 && p[-1] != '-' && isalpha((unsigned char)*last_label);
}

/* A domain or address as served: lower case, IPv6 without brackets. */
static int normalize_domain(char *text, char **out, char *why, size_t len)
{
	struct endpoint ep;
	size_t n = strlen(text);

	if (n > 2 && text[0] == '[' && text[n - 1] == ']') {
		text[n - 1] = '\0';
		text++;
		if (config_address_parse(&ep, text) || ep.family != AF_INET6)
			return fail(why, len, "'[%s]' is not an IPv6 address", text);
	}
	if (config_address_parse(&ep, text) && !config_host_name_valid(text))
		return fail(why, len, "'%s' is not a host name or address", text);
	*out = strdup(text);
	return *out ? 0 : fail(why, len, "out of memory");
}

static void strings_free(struct config_strings *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static int parse_domain(void *elem, const void *prev, size_t i, char *item,
			char *why, size_t len)
{
	char *const *seen = prev, **out = elem;
	size_t j;
	int ret = normalize_domain(item, out, why, len);

	for (j = 0; !ret && j < i; j++)
		if (!strcmp(*out, seen[j]))
			ret = fail(why, len, "'%s' listed twice", *out);
	return ret;
}

static int set_domains(struct config_strings *field, const char *value, char *why, size_t len)
{
	struct config_strings s;
	void *v;
	int ret = list_parse(value, sizeof(*s.v), parse_domain, &v, &s.n, why, len);

	s.v = v;
	if (ret) {
		strings_free(&s);
		return ret;
	}
	strings_free(field);
	*field = s;
	return 0;
}

/**
 * config_value_set - parse @value as @opt's type into @cfg
 *
 * Return: 0, or -1 with the reason in @why (@cfg unchanged).
 */
int config_value_set(struct config *cfg, const struct config_option *opt,
		     const char *value, char *why, size_t len)
{
	void *field = field_of(cfg, opt);

	switch (opt->type) {
	case CONFIG_T_TEXT:
		return set_text(field, value, why, len);
	case CONFIG_T_PATH:
		return set_path(field, value, why, len);
	case CONFIG_T_UINT:
		return set_uint(field, opt, value, why, len);
	case CONFIG_T_BOOL:
		return set_bool(field, value, why, len);
	case CONFIG_T_ENUM:
		return set_enum(field, opt, value, why, len);
	case CONFIG_T_FLAGS:
		return set_flags(field, opt, value, why, len);
	case CONFIG_T_DURATION:
		return set_duration(field, opt, value, why, len);
	case CONFIG_T_ENDPOINTS:
		return set_endpoints(field, value, why, len);
	case CONFIG_T_ADDRESS:
		return set_address(field, value, why, len);
	case CONFIG_T_PORT_RANGE:
		return set_port_range(field, opt, value, why, len);
	case CONFIG_T_CIDRS:
		return set_cidrs(field, value, why, len);
	case CONFIG_T_DOMAINS:
		return set_domains(field, value, why, len);
	}
	return fail(why, len, "unknown option type");
}

/* Release what config_value_set() allocated for @opt. */
void config_value_free(struct config *cfg, const struct config_option *opt)
{
	void *field = field_of(cfg, opt);

	switch (opt->type) {
	case CONFIG_T_TEXT:
	case CONFIG_T_PATH:
		free(*(char **)field);
		*(char **)field = NULL;
		break;
	case CONFIG_T_ENDPOINTS:
		free(((struct config_endpoints *)field)->v);
		memset(field, 0, sizeof(struct config_endpoints));
		break;
	case CONFIG_T_CIDRS:
		free(((struct config_cidrs *)field)->v);
		memset(field, 0, sizeof(struct config_cidrs));
		break;
	case CONFIG_T_DOMAINS:
		strings_free(field);
		break;
	default:
		break;
	}
}
