/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPFWD_JSON_H
#define RTPFWD_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * A streaming JSON writer for -j. @key is the member name inside objects
 * and NULL inside arrays; commas are placed by the writer.
 */
struct json {
	FILE *out;
	int depth;
	bool comma[16];
};

void json_init(struct json *j, FILE *out);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);
void json_u64(struct json *j, const char *key, uint64_t value);
void json_s64(struct json *j, const char *key, int64_t value);
void json_bool(struct json *j, const char *key, bool value);

#endif
