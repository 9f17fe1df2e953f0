// SPDX-License-Identifier: GPL-2.0
/* rtpfwd: control the rtpfwd kernel module's RTP forwarding flows. */
#include "commands.h"

int main(int argc, char **argv)
{
	return commands_run(argc, argv);
}
