// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <uapi/linux/rtpfwd.h>
static int __init rtpfwd_init(void) { pr_info("rtpfwd: loaded\n"); return 0; }
static void __exit rtpfwd_exit(void) { pr_info("rtpfwd: unloaded\n"); }
module_init(rtpfwd_init);
module_exit(rtpfwd_exit);
MODULE_LICENSE("GPL");
