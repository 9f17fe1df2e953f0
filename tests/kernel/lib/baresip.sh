# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/kernel/call_baresip_tone.sh (dash) after topology.sh:
# baresip 1.0.0 as a headless phone, and sox to make the tone it plays and
# to read what it heard. Not a test itself, hence outside tests/kernel/*.sh.
#
# A phone is a directory $tmp/NAME with baresip's config and accounts
# (baresip writes its uuid there too, so it must be writable). It plays a
# tone file through the aufile source and hears through aubridge's nil
# device; the sndfile filter dumps what it encodes (dump-*-enc.wav) and what
# it decodes (dump-*-dec.wav) into the same directory, as it goes. Its
# console (the cons module) takes menu commands ("/quit") over UDP on its
# SIP address, port 5555. Only the G.711 codecs
# are loaded, so the call is PCMU: 8 kHz mono, 160 samples a packet, and
# the decoded dump grows by exactly one packet's samples per packet decoded
# (no PLC module: a lost packet leaves no samples).

# tone FILE HZ SECONDS: a sine at half full scale, 8 kHz mono, 16-bit
# (aufile reads nothing but S16LE; the G.711 coding is baresip's). One
# second is made and repeated: seamless for a whole number of hertz, and
# five times faster than a sine per sample in the VM's emulated FPU.
tone() {
	sox -q -n -r 8000 -c 1 -b 16 -e signed-integer "$1" synth 1 sine "$2" vol 0.5 \
		repeat $(($3 - 1))
}

# phone_conf NAME SIP-ADDR:PORT RTP-PORTS TONE ACCOUNT: $tmp/NAME, a phone
# listening for SIP (UDP) on SIP-ADDR:PORT, taking RTP/RTCP from RTP-PORTS
# (FIRST-LAST), playing TONE, with the one account line ACCOUNT.
phone_conf() {
	mkdir -p "$tmp/$1"
	cat >"$tmp/$1/config" <<CONF
poll_method	epoll
sip_listen	$2
audio_player	aubridge,nil
audio_alert	aubridge,nil
audio_source	aufile,$4
ausrc_srate	8000
auplay_srate	8000
ausrc_channels	1
auplay_channels	1
rtp_ports	$3
module_path	/usr/lib/baresip/modules
module	g711.so
module	aufile.so
module	aubridge.so
module	sndfile.so
module	cons.so
cons_listen	${2%:*}:5555
module_app	account.so
module_app	menu.so
snd_path	$tmp/$1
CONF
	printf '%s\n' "$5" >"$tmp/$1/accounts"
}

# phone NAME NS ADDR [BARESIP-ARGS]: start the phone $tmp/NAME in namespace
# NS bound to ADDR, its log in $tmp/NAME.log; $phone_pid is baresip's pid.
phone() {
	_name=$1 _ns=$2 _addr=$3
	shift 3
	# Not through c()/e(): $! must be baresip itself, not a subshell.
	# Its log goes through stdio, block-buffered into a file; line
	# buffering lets wait_phone see each line as it is written.
	ip netns exec "rtpfwd-$_ns" stdbuf -oL baresip -f "$tmp/$_name" -n "$_addr" "$@" \
		>"$tmp/$_name.log" 2>&1 &
	phone_pid=$!
	bg="$bg $phone_pid"
}

# phone_say NS ADDR COMMAND: type COMMAND on the console of the phone in
# NS at ADDR (one datagram on loopback, which does not lose it).
phone_say() {
	ip netns exec "rtpfwd-$1" bash -c 'printf "%s\n" "$1" >"/dev/udp/$2/5555"' - "$3" "$2"
}

phone_logs() {	# phone_logs NAME PATTERN
	grep -a -q -- "$2" "$tmp/$1.log"
}

# wait_phone WHAT NAME PATTERN: poll until the phone logged PATTERN, up to
# 30 s.
wait_phone() {
	poll 600 phone_logs "$2" "$3" ||
		fail "$1: no '$3' from $2: $(tail -c 400 "$tmp/$2.log" | tr -d '\033')"
}

# dump NAME enc|dec: the phone's one dump of that kind; fails without one.
dump() {
	set -- "$tmp/$1"/dump-*-"$2".wav
	[ $# = 1 ] && [ -f "$1" ] && echo "$1"
}

# decoded NAME: the packets the phone decoded so far (160 samples, 320
# bytes each, after the dump's 44-byte WAV header).
decoded() {
	_f=$(dump "$1" dec) || { echo 0; return; }
	echo $((($(stat -c %s "$_f") - 44) / 320))
}

samples() {	# samples WAV
	soxi -s "$1"
}

# measure WAV: "SAMPLES RMS HZ" from one sox stat of WAV: its length in
# samples, its RMS amplitude (full scale 1) and sox's rough frequency.
measure() {
	sox "$1" -n stat 2>&1 | awk '{ n = $0; sub(/:.*/, "", n); gsub(/ +/, " ", n)
			v = $0; sub(/^[^:]*: */, "", v) }
		n == "Samples read" { s = v } n == "RMS amplitude" { r = v }
		n == "Rough frequency" { f = v } END { print s, r, f }'
}

# rough_hz HZ: what sox's stat reports as the rough frequency of a pure
# sine of HZ at 8 kHz. It estimates from the RMS of the first difference
# (2 sin(pi f / fs) times the RMS of a sine), so it reads fs/pi sin(pi f/fs):
# 974 for 1000 Hz, 438 for 440 Hz, whatever the level or the silent share.
rough_hz() {
	awk -v f="$1" 'BEGIN { pi = atan2(0, -1); printf "%d\n", 8000 / pi * sin(pi * f / 8000) + 0.5 }'
}

# within VALUE WANT PERCENT: VALUE is WANT +- PERCENT %.
within() {
	awk -v v="$1" -v w="$2" -v p="$3" 'BEGIN { exit !(v >= w * (1 - p / 100) && v <= w * (1 + p / 100)) }'
}

# at_least VALUE BOUND: VALUE >= BOUND (decimals).
at_least() {
	awk -v v="$1" -v b="$2" 'BEGIN { exit !(v >= b) }'
}
