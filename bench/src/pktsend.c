// SPDX-License-Identifier: GPL-2.0
/*
 * pktsend: offers RTP packets to a gateway as cheaply as a sender can, so
 * that the gateway, not the sender, is what runs out. An AF_PACKET socket
 * with PACKET_QDISC_BYPASS hands prebuilt Ethernet/IPv4/UDP/RTP frames
 * straight to the device in sendmmsg batches: no socket lookup, routing,
 * neighbour or qdisc work on the sender's CPU. Each packet goes to the next
 * of NPORTS destination ports in turn; each port is one RTP stream (its own
 * SSRC, sequence numbers and timestamps counting up by one packet of 20 ms
 * PCMA), so a gateway that checks RTP sees every stream in sequence.
 *
 * The kernel's pktgen would be cheaper still, but its payload (a pktgen
 * signature and counters) is not RTP: flows with the rtp flag would drop it
 * as malformed, which is not the work being measured.
 *
 *   pktsend -i IFNAME -m DSTMAC -s SRC_ADDR:PORT -d DST_ADDR:PORT [-P NPORTS]
 *           [-t SECONDS] [-r PPS] [-z SIZE]
 * SIZE is the UDP payload (RTP header included, default 172: 20 ms of PCMA).
 * Prints "sent=N refused=R seconds=S": R frames the device refused (its peer's
 * input backlog full), which are offered again and not counted as sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util.h"

#define BATCH 64
#define MAX_PAYLOAD 1400
#define HDRS (sizeof(struct ether_header) + sizeof(struct iphdr) + sizeof(struct udphdr))
#define SSRC_BASE 0x51500000u

struct stream {
	uint16_t seq;
	uint32_t ts;
};

static uint16_t ip_checksum(const void *data, size_t len)
{
	const uint16_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static const struct sockaddr_in *ipv4_or_die(const char *text, struct sockaddr_storage *ss)
{
	bench_sockaddr(text, ss);
	if (ss->ss_family != AF_INET)
		bench_die("pktsend: %s: IPv4 only", text);
	return (const struct sockaddr_in *)ss;
}

/* The frame every packet starts from: all but the port and the RTP fields. */
static void build_template(uint8_t *frame, const uint8_t *src_mac, const uint8_t *dst_mac,
			   const struct sockaddr_in *src, const struct sockaddr_in *dst,
			   unsigned int size)
{
	struct ether_header *eth = (struct ether_header *)frame;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	uint8_t *rtp = (uint8_t *)(udp + 1);

	memcpy(eth->ether_dhost, dst_mac, ETH_ALEN);
	memcpy(eth->ether_shost, src_mac, ETH_ALEN);
	eth->ether_type = htons(ETHERTYPE_IP);
	*ip = (struct iphdr){ .version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_UDP,
			      .tot_len = htons(sizeof(*ip) + sizeof(*udp) + size),
			      .frag_off = htons(IP_DF), .saddr = src->sin_addr.s_addr,
			      .daddr = dst->sin_addr.s_addr };
	/* Every header is the same (no IP ID with DF): one checksum for all. */
	ip->check = ip_checksum(ip, sizeof(*ip));
	/* UDP checksum 0: none, which IPv4 allows. */
	*udp = (struct udphdr){ .source = src->sin_port, .len = htons(sizeof(*udp) + size) };
	memset(rtp, 0, size);
	rtp[0] = 0x80;	/* RTP version 2 */
	rtp[1] = 8;	/* PCMA */
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Writes the next packet of stream @index into @frame. */
static void next_packet(uint8_t *frame, unsigned int port, unsigned int index,
			struct stream *st)
{
	struct udphdr *udp = (struct udphdr *)(frame + sizeof(struct ether_header) +
					       sizeof(struct iphdr));
	uint8_t *rtp = (uint8_t *)(udp + 1);

	udp->dest = htons(port);
	st->seq++;
	st->ts += 160;
	rtp[2] = st->seq >> 8;
	rtp[3] = st->seq;
	put_be32(rtp + 4, st->ts);
	put_be32(rtp + 8, SSRC_BASE + index);
}

static void parse_mac(const char *text, uint8_t *mac)
{
	if (sscanf(text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3],
		   &mac[4], &mac[5]) != 6)
		bench_die("pktsend: invalid MAC address \"%s\"", text);
}

int main(int argc, char **argv)
{
	static uint8_t frames[BATCH][HDRS + MAX_PAYLOAD];
	const char *ifname = NULL, *dst_mac_text = NULL, *src_text = NULL, *dst_text = NULL;
	struct sockaddr_storage src_ss, dst_ss;
	const struct sockaddr_in *src, *dst;
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				  .sll_halen = ETH_ALEN };
	uint8_t dst_mac[ETH_ALEN];
	unsigned int nports = 1, base, size = 172, i;
	double seconds = 5, rate = 0, start, now;
	uint64_t sent = 0, refused = 0;
	struct stream *streams;
	struct ifreq ifr = { 0 };
	int opt, fd, one = 1;

	while ((opt = getopt(argc, argv, "i:m:s:d:P:t:r:z:")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'm': dst_mac_text = optarg; break;
		case 's': src_text = optarg; break;
		case 'd': dst_text = optarg; break;
		case 'P': nports = strtoul(optarg, NULL, 10); break;
		case 't': seconds = strtod(optarg, NULL); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'z': size = strtoul(optarg, NULL, 10); break;
		default: bench_die("usage: pktsend -i IFNAME -m DSTMAC -s ADDR:PORT -d ADDR:PORT "
				   "[-P N] [-t S] [-r PPS] [-z SIZE]");
		}
	}
	if (!ifname || !dst_mac_text || !src_text || !dst_text || !nports || size < 12 ||
	    size > MAX_PAYLOAD || seconds <= 0 || strlen(ifname) >= IFNAMSIZ)
		bench_die("pktsend: need -i, -m, -s, -d, 1 <= -P, 12 <= -z <= %d, -t > 0",
			  MAX_PAYLOAD);
	parse_mac(dst_mac_text, dst_mac);
	src = ipv4_or_die(src_text, &src_ss);
	dst = ipv4_or_die(dst_text, &dst_ss);
	base = ntohs(dst->sin_port);
	if (base + nports - 1 > 65535)
		bench_die("pktsend: port range beyond 65535");
	streams = calloc(nports, sizeof(*streams));
	if (!streams)
		bench_die("pktsend: out of memory");

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		bench_die("pktsend: packet socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0)
		bench_die("pktsend: PACKET_QDISC_BYPASS: %s", strerror(errno));
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		bench_die("pktsend: %s: %s", ifname, strerror(errno));
	ll.sll_ifindex = if_nametoindex(ifname);
	memcpy(ll.sll_addr, dst_mac, ETH_ALEN);

	for (i = 0; i < BATCH; i++) {
		build_template(frames[i], (const uint8_t *)ifr.ifr_hwaddr.sa_data, dst_mac, src,
			       dst, size);
		iov[i] = (struct iovec){ .iov_base = frames[i], .iov_len = HDRS + size };
		msgs[i].msg_hdr = (struct msghdr){ .msg_name = &ll, .msg_namelen = sizeof(ll),
						   .msg_iov = &iov[i], .msg_iovlen = 1 };
	}

	start = now = bench_now();
	while (now - start < seconds) {
		unsigned int n = bench_due(start, &now, rate, sent, BATCH);
		int r;

		if (!n)
			continue;
		for (i = 0; i < n; i++) {
			unsigned int k = (sent + i) % nports;

			next_packet(frames[i], base + k, k, &streams[k]);
		}
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			if (errno != ENOBUFS && errno != EAGAIN)
				bench_die("pktsend: sendmmsg: %s", strerror(errno));
			r = 0;
		}
		/* Frames not taken are offered again: their streams step back. */
		for (i = n; i-- > (unsigned int)r;) {
			struct stream *st = &streams[(sent + i) % nports];

			st->seq--;
			st->ts -= 160;
		}
		refused += n - r;
		sent += r;
		now = bench_now();
	}
	printf("sent=%llu refused=%llu seconds=%.3f\n", (unsigned long long)sent,
	       (unsigned long long)refused, now - start);
	free(streams);
	return 0;
}
