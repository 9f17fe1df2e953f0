/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Assertions the SIP parser tests share; include after kselftest_harness.h.
 */
#ifndef SIP_TEST_H
#define SIP_TEST_H

#include <string.h>

#include "sipproxyd/sip_lex.h"

#define ASSERT_ENUM(a, b) ASSERT_EQ((int)(a), (int)(b))

/* Asserts a view's exact bytes. */
#define ASSERT_VIEW(view, lit) do { \
	ASSERT_TRUE(sip_str_present(view)); \
	ASSERT_EQ(sizeof(lit) - 1, (view).len); \
	ASSERT_EQ(0, memcmp((view).s, (lit), (view).len)); \
} while (0)

#endif
