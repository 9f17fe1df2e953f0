/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real-world SDP bodies shared by the SDP tests. Each is what the named
 * sender puts on the wire (addresses from the documentation ranges).
 */
#ifndef SDP_BODIES_H
#define SDP_BODIES_H

/* SIPp 3.6 built-in uac scenario, [local_ip] 127.0.0.1, [media_port] 6000. */
#define SDP_SIPP_UAC \
	"v=0\r\n" \
	"o=user1 53655765 2353687637 IN IP4 127.0.0.1\r\n" \
	"s=-\r\n" \
	"c=IN IP4 127.0.0.1\r\n" \
	"t=0 0\r\n" \
	"m=audio 6000 RTP/AVP 0\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n"

/* SIPp's uas answer as a sender using bare LF line ends writes it. */
#define SDP_SIPP_UAS_LF \
	"v=0\n" \
	"o=user1 53655765 2353687637 IN IP4 127.0.0.2\n" \
	"s=-\n" \
	"c=IN IP4 127.0.0.2\n" \
	"t=0 0\n" \
	"m=audio 6002 RTP/AVP 0\n" \
	"a=rtpmap:0 PCMU/8000\n"

/* A baresip-like offer: explicit a=rtcp, ICE host and srflx candidates. */
#define SDP_BARESIP \
	"v=0\r\n" \
	"o=- 1203580342 3920413285 IN IP4 192.168.1.20\r\n" \
	"s=-\r\n" \
	"c=IN IP4 192.168.1.20\r\n" \
	"t=0 0\r\n" \
	"a=tool:baresip 1.0.0\r\n" \
	"a=ice-options:trickle\r\n" \
	"m=audio 10034 RTP/AVP 96 0 8 101\r\n" \
	"b=AS:128\r\n" \
	"a=rtpmap:96 opus/48000/2\r\n" \
	"a=fmtp:96 stereo=1;sprop-stereo=1\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n" \
	"a=rtpmap:8 PCMA/8000\r\n" \
	"a=rtpmap:101 telephone-event/8000\r\n" \
	"a=fmtp:101 0-15\r\n" \
	"a=rtcp:10035 IN IP4 192.168.1.20\r\n" \
	"a=sendrecv\r\n" \
	"a=label:1\r\n" \
	"a=ice-ufrag:Xbdf\r\n" \
	"a=ice-pwd:4c3b1e7a5f9a0c2d8e6f1a2b\r\n" \
	"a=candidate:1 1 UDP 2113932031 192.168.1.20 10034 typ host\r\n" \
	"a=candidate:1 2 UDP 2113932030 192.168.1.20 10035 typ host\r\n" \
	"a=candidate:2 1 UDP 1677724415 203.0.113.7 41000 typ srflx raddr 192.168.1.20 rport 10034\r\n" \
	"a=ptime:20\r\n"

/* A browser-like BUNDLE offer after gathering: rtcp-mux, DTLS-SRTP, ICE. */
#define SDP_WEBRTC \
	"v=0\r\n" \
	"o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" \
	"s=-\r\n" \
	"t=0 0\r\n" \
	"a=group:BUNDLE 0 1\r\n" \
	"a=msid-semantic: WMS stream\r\n" \
	"m=audio 50000 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n" \
	"c=IN IP4 198.51.100.10\r\n" \
	"a=rtcp:9 IN IP4 0.0.0.0\r\n" \
	"a=candidate:1467250027 1 udp 2122260223 192.168.1.5 50000 typ host generation 0 network-id 1\r\n" \
	"a=candidate:842163049 1 udp 1686052607 198.51.100.10 50000 typ srflx raddr 192.168.1.5 rport 50000 generation 0\r\n" \
	"a=end-of-candidates\r\n" \
	"a=ice-ufrag:EsAw\r\n" \
	"a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n" \
	"a=ice-options:trickle\r\n" \
	"a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n" \
	"a=setup:actpass\r\n" \
	"a=mid:0\r\n" \
	"a=sendrecv\r\n" \
	"a=rtcp-mux\r\n" \
	"a=rtpmap:111 opus/48000/2\r\n" \
	"a=fmtp:111 minptime=10;useinbandfec=1\r\n" \
	"a=rtpmap:63 red/48000/2\r\n" \
	"a=rtpmap:9 G722/8000\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n" \
	"a=rtpmap:8 PCMA/8000\r\n" \
	"a=rtpmap:13 CN/8000\r\n" \
	"a=rtpmap:110 telephone-event/48000\r\n" \
	"a=rtpmap:126 telephone-event/8000\r\n" \
	"a=ssrc:3735928559 cname:4TOk42mSjXCkVIa6\r\n" \
	"m=video 50000 UDP/TLS/RTP/SAVPF 96 97 102\r\n" \
	"c=IN IP4 198.51.100.10\r\n" \
	"a=rtcp:9 IN IP4 0.0.0.0\r\n" \
	"a=ice-ufrag:EsAw\r\n" \
	"a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n" \
	"a=ice-options:trickle\r\n" \
	"a=setup:actpass\r\n" \
	"a=mid:1\r\n" \
	"a=sendrecv\r\n" \
	"a=rtcp-mux\r\n" \
	"a=rtcp-rsize\r\n" \
	"a=rtpmap:96 VP8/90000\r\n" \
	"a=rtcp-fb:96 nack\r\n" \
	"a=rtpmap:97 rtx/90000\r\n" \
	"a=fmtp:97 apt=96\r\n" \
	"a=rtpmap:102 H264/90000\r\n"

#define SDP_IPV6 \
	"v=0\r\n" \
	"o=alice 2890844526 2890844527 IN IP6 2001:db8::10\r\n" \
	"s=call\r\n" \
	"c=IN IP6 2001:db8::10\r\n" \
	"t=0 0\r\n" \
	"m=audio 20000 RTP/AVP 8 101\r\n" \
	"a=rtpmap:8 PCMA/8000\r\n" \
	"a=rtpmap:101 telephone-event/8000\r\n" \
	"a=fmtp:101 0-16\r\n" \
	"a=ptime:20\r\n"

/* RFC 3264's audio+video offer shape, static types without a=rtpmap. */
#define SDP_AUDIO_VIDEO \
	"v=0\r\n" \
	"o=carol 28908764872 28908764872 IN IP4 100.3.6.6\r\n" \
	"s=-\r\n" \
	"t=0 0\r\n" \
	"c=IN IP4 192.0.2.4\r\n" \
	"m=audio 49170 RTP/AVP 0 8 97\r\n" \
	"a=rtpmap:97 iLBC/8000\r\n" \
	"m=video 51372 RTP/AVP 31 32\r\n" \
	"a=rtpmap:31 H261/90000\r\n"

/* A T.38 re-INVITE from a fax gateway. */
#define SDP_T38 \
	"v=0\r\n" \
	"o=fax 1 2 IN IP4 192.0.2.20\r\n" \
	"s=-\r\n" \
	"c=IN IP4 192.0.2.20\r\n" \
	"t=0 0\r\n" \
	"m=image 40000 udptl t38\r\n" \
	"a=T38FaxVersion:0\r\n" \
	"a=T38MaxBitRate:14400\r\n" \
	"a=T38FaxRateManagement:transferredTCF\r\n" \
	"a=T38FaxMaxDatagram:176\r\n" \
	"a=T38FaxUdpEC:t38UDPRedundancy\r\n"

/* RFC 3264 hold: the holder re-offers sendonly. */
#define SDP_HOLD_SENDONLY \
	"v=0\r\n" \
	"o=user1 53655765 2353687638 IN IP4 127.0.0.1\r\n" \
	"s=-\r\n" \
	"c=IN IP4 127.0.0.1\r\n" \
	"t=0 0\r\n" \
	"m=audio 6000 RTP/AVP 0\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n" \
	"a=sendonly\r\n"

/* RFC 2543 hold: c= 0.0.0.0, with a=rtcp naming the real address. */
#define SDP_HOLD_ZERO \
	"v=0\r\n" \
	"o=user1 53655765 2353687639 IN IP4 127.0.0.1\r\n" \
	"s=-\r\n" \
	"c=IN IP4 0.0.0.0\r\n" \
	"t=0 0\r\n" \
	"m=audio 6000 RTP/AVP 0\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n" \
	"a=rtcp:6001\r\n"

/* An answer that rejects the offered video. */
#define SDP_REJECTED \
	"v=0\r\n" \
	"o=bob 2808844564 2808844565 IN IP4 192.0.2.8\r\n" \
	"s=-\r\n" \
	"c=IN IP4 192.0.2.8\r\n" \
	"t=0 0\r\n" \
	"m=audio 49172 RTP/AVP 0\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n" \
	"m=video 0 RTP/AVP 31\r\n"

/*
 * Media-level c= only, one stream per family, a session-level direction
 * that the first stream overrides, and an i= line before c=.
 */
#define SDP_MEDIA_C_ONLY \
	"v=0\r\n" \
	"o=- 1 1 IN IP4 host.example.com\r\n" \
	"s=-\r\n" \
	"t=0 0\r\n" \
	"a=inactive\r\n" \
	"m=audio 7078 RTP/AVP 0 101\r\n" \
	"i=voice\r\n" \
	"c=IN IP4 203.0.113.50\r\n" \
	"a=rtpmap:101 telephone-event/8000\r\n" \
	"a=sendrecv\r\n" \
	"m=video 9078 RTP/AVP 96\r\n" \
	"c=IN IP6 2001:db8::50\r\n" \
	"a=rtpmap:96 H264/90000\r\n"

#endif
