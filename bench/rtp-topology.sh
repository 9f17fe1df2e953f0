# shellcheck shell=sh
# Sourced by bench/rtp-forward.sh and bench/rtp-cost.sh (inside the VM, as
# root): their three namespaces, a sender, a gateway and an nftables sink.
#
#   ns a                     ns gw                          ns b
#   va 10.1.0.1/24 ---- ga 10.1.0.2/24  gb 10.2.0.2/24 ---- vb 10.2.0.1/24
#                          10.1.0.3/24     10.2.0.3/24
#
# rtpfwd flows listen on 10.1.0.2, a userspace relay on 10.1.0.3 (sending
# from 10.2.0.3); everything goes to 10.2.0.1:9000, where a netdev ingress
# chain on vb counts and drops it. IP forwarding is on in gw, and gw knows
# vb's address statically. topology_setup sets ga_mac, the address the
# sender writes its frames to.

a() { ip netns exec a "$@"; }
gw() { ip netns exec gw "$@"; }
b() { ip netns exec b "$@"; }

topology_setup() {
	for n in a gw b; do ip netns add "$n"; ip -n "$n" link set lo up; done
	ip link add va netns a type veth peer name ga netns gw
	ip link add vb netns b type veth peer name gb netns gw
	ip -n a addr add 10.1.0.1/24 dev va
	ip -n gw addr add 10.1.0.2/24 dev ga
	ip -n gw addr add 10.1.0.3/24 dev ga
	ip -n gw addr add 10.2.0.2/24 dev gb
	ip -n gw addr add 10.2.0.3/24 dev gb
	ip -n b addr add 10.2.0.1/24 dev vb
	for l in "a va" "gw ga" "gw gb" "b vb"; do
		# shellcheck disable=SC2086 # "NS DEV" split in two
		set -- $l
		ip -n "$1" link set "$2" up
	done
	gw sysctl -qw net.ipv4.ip_forward=1
	# Static neighbour: no ARP resolution inside the measured window.
	ip -n gw neigh replace 10.2.0.1 lladdr "$(ip -n b -br link show vb | awk '{print $3}')" \
		dev gb nud permanent
	ga_mac=$(ip -n gw -br link show ga | awk '{print $3}')
	b nft -f - <<-NFT
	table netdev sink {
		counter rx { }
		chain in {
			type filter hook ingress device vb priority 0; policy accept;
			ip daddr 10.2.0.1 udp dport 9000 counter name rx drop
		}
	}
	NFT
}

# sink: the packets the sink has counted since its last reset.
sink() { b nft -j list counter netdev sink rx | sed -n 's/.*"packets": *\([0-9]*\).*/\1/p'; }
