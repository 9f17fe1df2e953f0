// SPDX-License-Identifier: GPL-2.0
/* ptlist_parse()/ptlist_format() and number_parse(). */
#include "kselftest_harness.h"
#include "rtpfwd/number.h"
#include "rtpfwd/ptlist.h"

static void expect_list(struct __test_metadata *_metadata, const char *in, const char *out)
{
	uint8_t mask[NL_PT_MASK_LEN];
	char buf[PTLIST_STRLEN];

	ASSERT_EQ(0, ptlist_parse(in, mask)) TH_LOG("%s", in);
	EXPECT_STREQ(out, ptlist_format(mask, buf));
}

TEST(lists)
{
	expect_list(_metadata, "0", "0");
	expect_list(_metadata, "127", "127");
	expect_list(_metadata, "0,8,96-127", "0,8,96-127");
	expect_list(_metadata, "8,0", "0,8");
	expect_list(_metadata, "0-127", "0-127");
	expect_list(_metadata, "5-5", "5");
	expect_list(_metadata, "1,2,3", "1-3");
	expect_list(_metadata, "3,1-2,2", "1-3");
	expect_list(_metadata, "0x60-0x7f", "96-127");
	expect_list(_metadata, "007", "7");
}

TEST(bits)
{
	uint8_t mask[NL_PT_MASK_LEN];

	ASSERT_EQ(0, ptlist_parse("0,9,127", mask));
	EXPECT_EQ(0x01, mask[0]);
	EXPECT_EQ(0x02, mask[1]);
	EXPECT_EQ(0x80, mask[15]);
}

TEST(invalid)
{
	static const char *const bad[] = {
		"", ",", "0,", ",0", "0,,1", "128", "-1", "1-", "-", "5-4", "0-128",
		"a", "1 ", " 1", "1-2-3", "1;2", "99999999999999999999", "0x80",
	};
	uint8_t mask[NL_PT_MASK_LEN];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, ptlist_parse(bad[i], mask)) TH_LOG("accepted \"%s\"", bad[i]);
		EXPECT_EQ(0, mask[0] | mask[1] | mask[15]);
	}
}

TEST(format_extremes)
{
	uint8_t mask[NL_PT_MASK_LEN] = {};
	char buf[PTLIST_STRLEN];
	unsigned int pt;

	EXPECT_STREQ("none", ptlist_format(mask, buf));
	for (pt = 0; pt < 128; pt += 2)
		mask[pt / 8] |= (uint8_t)(1U << (pt % 8));
	ptlist_format(mask, buf);
	EXPECT_EQ(0, strncmp(buf, "0,2,4,6,8,10,", 13));
	EXPECT_EQ(0, strcmp(buf + strlen(buf) - 8, ",124,126"));
}

TEST(numbers)
{
	uint64_t v;

	ASSERT_EQ(0, number_parse("0", 0, 10, &v));
	EXPECT_EQ(0U, v);
	ASSERT_EQ(0, number_parse("010", 0, 100, &v));
	EXPECT_EQ(10U, v);
	ASSERT_EQ(0, number_parse("0xFf", 0, 255, &v));
	EXPECT_EQ(255U, v);
	ASSERT_EQ(0, number_parse("18446744073709551615", 0, UINT64_MAX, &v));
	EXPECT_EQ(UINT64_MAX, v);
	ASSERT_EQ(0, number_parse("0xffffffffffffffff", 0, UINT64_MAX, &v));
	EXPECT_EQ(UINT64_MAX, v);
	EXPECT_EQ(-EINVAL, number_parse("18446744073709551616", 0, UINT64_MAX, &v));
	EXPECT_EQ(-EINVAL, number_parse("0x10000000000000000", 0, UINT64_MAX, &v));
	EXPECT_EQ(-EINVAL, number_parse("11", 0, 10, &v));
	EXPECT_EQ(-EINVAL, number_parse("0", 1, 10, &v));
	EXPECT_EQ(-EINVAL, number_parse("", 0, 10, &v));
	EXPECT_EQ(-EINVAL, number_parse("0x", 0, 10, &v));
	EXPECT_EQ(-EINVAL, number_parse("+1", 0, 10, &v));
	EXPECT_EQ(-EINVAL, number_parse("-0", 0, 10, &v));
	EXPECT_EQ(-EINVAL, number_parse("1 ", 0, 10, &v));
	EXPECT_EQ(-EINVAL, number_parse("0b1", 0, 10, &v));
	EXPECT_EQ(-EINVAL, number_parse("1e3", 0, 10000, &v));
	EXPECT_EQ(-EINVAL, number_parse("0xg", 0, 10, &v));
}

TEST_HARNESS_MAIN
