/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_CORE_SETUP_H
#define SIPPROXY_CORE_SETUP_H

#include "core.h"

int core_setup_registrar(struct core *c, char *err, size_t errlen);
void core_teardown_registrar(struct core *c);
int core_setup_routing(struct core *c, const struct config *cfg, char *err, size_t errlen);
int core_reload_routing(struct core *c, const struct config *cfg, char *err, size_t errlen);
void core_teardown_routing(struct core *c);
int core_setup_auth(struct core *c, const struct config *cfg, char *err, size_t errlen);
int core_reload_auth(struct core *c, const struct config *cfg, char *err, size_t errlen);
void core_teardown_auth(struct core *c);

#endif
