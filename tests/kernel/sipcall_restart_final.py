#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The callee's responses to a call that rang across a kill -9 and
restart of sipproxyd, played with sipcall.py's user agents:

  sipcall_restart_final.py final

The restarted daemon has no transaction for the INVITE; the first 1xx
from the callee brings the stored INVITE copy back as a client
transaction (proxy_resume.c). Its 180 and 183 go up by the caller's Via,
the 183's SDP rewritten to the relay port the caller had before the
restart (RFC 3261 16.7 step 5). Its 486 is ACKed once, with the copy's
Request-URI, Via branch and CSeq (17.1.1.3), reaches the caller with
only the caller's own Via (16.7 step 6), and ends the call at once: its
flows, relay ports and rows are gone. Each retransmission of the 486 is
ACKed once more and nothing else goes anywhere; the branch's legs log
their early media's counters (end=failed). In a second call, a 200
after such a 180 is the resumed transaction's and confirms the call,
and the callee's BYE ends it. Each side hears the gateway at its own
listener, which the Vias name (10.0.2.1 callee-side, 10.0.1.1
caller-side), and Record-Route names both (RFC 5658).
Environment: as sipcall.py's restart scenario, with DATABASE (the
[registrar] database file).
"""
import re
import socket
import sys
import time

from sipcall import (Dialog, Msg, Ringing, callee_wait, check, expect_end, expect_flows, expect_sdp,
                     log_lines, media, ok, proxy_restart, relay_sockets, restart_parties,
                     same_flows, sdp, split_rr, wait_for)
from sipcall_restart_cancel import kill_next, rows, top_via


# A leg of the 486 call: 19 packets of early media before the restart and
# 20 after (the first one of 20 is the probation drop), 172 bytes each.
LEG_486 = re.compile(r"media: leg (caller|callee) stream 0: packets=39 bytes=6708 rtcp_packets=0 "
                     r"rtcp_bytes=0 lost=0 jitter=\d+ drops=1 \(source=0 probation=1 "
                     r"payload_type=0 malformed=0 no_route=0 nomem=0 xmit=0\) branch=1 "
                     r"end=failed$")


def expect_sides(inv, p183):
    """RFC 3261 18.2.1 and 16.6 step 4: the INVITE reaches the callee from
    the gateway's callee-side listener, which its Via names; a response
    reaches the caller from the caller-side one. Record-Route is doubled
    (RFC 5658): the callee-side entry on top, the caller-side one below."""
    rr = ["<sip:10.0.2.1:5060;lr;r2=on>", "<sip:10.0.1.1:5060;lr;r2=on>"]
    check(top_via(inv).startswith("SIP/2.0/UDP 10.0.2.1:5060;branch=") and
          inv.src == ("10.0.2.1", 5060) and split_rr(inv.all("record-route")) == rr,
          f"the callee's INVITE from {inv.src}: Via {top_via(inv)}, Record-Route "
          f"{inv.all('record-route')}, want 10.0.2.1:5060 and {rr}")
    check(p183.src == ("10.0.1.1", 5060) and split_rr(p183.all("record-route")) == rr,
          f"the caller's 183 from {p183.src}, Record-Route {p183.all('record-route')}")
    ok("the INVITE leaves from 10.0.2.1:5060, which its Via names; the caller hears the "
       "gateway at 10.0.1.1:5060; Record-Route names both")


def drain(ua, secs):
    """Every message ua's socket got within secs, retransmissions included
    (UA.recv skips repeats: an ACK sent twice must count twice)."""
    out, end = [], time.monotonic() + secs
    while (left := end - time.monotonic()) > 0:
        ua.sock.settimeout(left)
        try:
            data, src = ua.sock.recvfrom(65536)
        except socket.timeout:
            break
        out.append(Msg(data.decode(), src))
    return out


def expect_ack(e, inv, tag, what):
    """Exactly one message reached the callee in 0.5 s: the hop-by-hop ACK
    of a non-2xx final, built from the INVITE copy it was sent."""
    got = drain(e, 0.5)
    check([m.first for m in got] == [f"ACK {inv.first.split()[1]} SIP/2.0"],
          f"{what}: the callee got {[str(m) for m in got]}, want one ACK to "
          f"{inv.first.split()[1]}")
    ack = got[0]
    check(ack.all("via") == [top_via(inv)] and ack.h("cseq") == f"{inv.cseq} ACK" and
          ack.tag("to") == tag and ack.h("from") == inv.h("from") and
          ack.h("call-id") == inv.h("call-id") and ack.all("route") == inv.all("route") and
          ack.src == inv.src, f"{what}: ACK {ack.hdrs} from {ack.src}")


def scenario_final():
    a, e, ra, re_ = restart_parties()
    call = Ringing(a, e, ra, re_)
    da, cs, caller_via, inv, cookie, tag = (call.da, call.cs, call.caller_via, call.inv,
                                            call.cookie, call.tag)
    to_a, to_e = call.to_a, call.to_e
    flows = expect_flows("183", cookie, 4)
    branch = re.search(r";branch=([^;]+)", top_via(inv)).group(1)
    expect_sides(inv, call.p183)
    wait_for("the ringing copy stored", lambda: rows(cookie)["dialog_branch"])
    ok(f"the call rings with early media on relay port {to_a}; its INVITE copy ({branch}) "
       "is stored")

    proxy_restart()
    wait_for("adoption", lambda: log_lines(
        rf"{re.escape(da.call_id)}.*dialog: call {cookie:016x} adopted"))
    same_flows("adopted", flows, expect_flows("adopted", cookie, 4))
    mine = caller_via.rsplit(";rport", 1)[0]

    e.reply(inv, 180, "Ringing", to_tag=tag)
    r = a.recv("180", lambda m: not m.is_request)
    check(r.status == 180 and r.cseq == cs and r.tag("to") == tag and not r.body and
          len(r.all("via")) == 1 and r.all("via")[0].startswith(mine + ";"),
          f"the caller got '{r}' To {r.h('to')} Via {r.all('via')} body {r.body!r}, want 180 "
          f"with its own Via ({mine})")
    check(len(log_lines(rf"{re.escape(da.call_id)}.*dialog: call {cookie:016x} resumed: "
                        r"1 branches for a 180")) == 1, "no 'resumed: 1 branches for a 180' line")
    # Byte for byte the 183 the caller got before the restart: UA.recv would skip it.
    e.reply(inv, 183, "Session Progress", sdp("10.0.2.2", 7000, 1), to_tag=tag)
    got = drain(a, 0.5)
    check([m.status for m in got] == [183], f"the caller got {[str(m) for m in got]}, want a 183")
    r = got[0]
    check(r.text == call.p183.text, f"the 183 after the restart differs from the one before:\n"
          f"{r.text}\nbefore:\n{call.p183.text}")
    expect_sdp("183 after the restart", r.body, to_a)
    same_flows("183 after the restart", flows, expect_flows("183 after the restart", cookie, 4))
    call.tot.add(media("after the restart", ra, to_a, re_, to_e, (20, 20), 20, 20))
    ok(f"after kill -9 and restart the callee's 180 and 183 reach the caller by its Via, the "
       f"183's SDP on relay port {to_a} as before; the same flows carry early media")

    e.reply(inv, 486, "Busy Here", to_tag=tag)
    expect_ack(e, inv, tag, "486")
    r = da.final("INVITE", cs)
    check(r.status == 486 and r.tag("to") == tag and len(r.all("via")) == 1 and
          r.all("via")[0].startswith(mine + ";"),
          f"the caller got '{r}' with Via {r.all('via')}, want 486 with its own ({mine})")
    da.ack_failure(r)
    ok(f"the callee's 486 is ACKed once with the stored copy's branch {branch} and "
       "Request-URI, and reaches the caller by its own Via")

    # The failed branch's legs log what crossed them, before and after the restart.
    expect_end("486", da.call_id, cookie, call.tot.want())
    legs = log_lines(rf"{re.escape(da.call_id)}.*media: leg \w+ stream 0: ")
    check(len(legs) == 2 and all(LEG_486.search(line) for line in legs),
          f"leg lines {legs}, want 2 matching {LEG_486.pattern}")
    check(len(log_lines(rf"{re.escape(da.call_id)}.*dialog: call {cookie:016x} ended "
                        r"\(failed\)")) == 1, "no 'ended (failed)' line")
    left = rows(cookie)
    check(left == {"dialog_state": [], "dialog_branch": [], "media_store": []},
          f"rows left: {left}")
    check(relay_sockets() == 0, f"{relay_sockets()} relay sockets left")
    ok("the call ended (failed) at the 486: no flow, relay socket or stored row left")

    for n in (1, 2):
        e.reply(inv, 486, "Busy Here", to_tag=tag)
        expect_ack(e, inv, tag, f"486 retransmission {n}")
    got = drain(a, 0.3)
    check(not got, f"the caller got {[str(m) for m in got]} after the 486's retransmissions")
    ok("each retransmission of the 486 is ACKed once more and forwarded nowhere")
    return a, e, ra, re_


def scenario_answer(a, e, ra, re_):
    """Once a 180 resumed the copy, the callee's 200 is the resumed
    transaction's: it reaches the caller by its Via, rewritten to the relay
    port the caller had, and confirms the call on the same flows; ACK and
    BYE pass as in a run that never stopped."""
    call = Ringing(a, e, ra, re_)
    da, cs, inv, cookie, tag, tot = call.da, call.cs, call.inv, call.cookie, call.tag, call.tot
    flows = expect_flows("183", cookie, 4)
    wait_for("the ringing copy stored", lambda: rows(cookie)["dialog_branch"])
    kill_next()
    proxy_restart()
    wait_for("adoption", lambda: log_lines(
        rf"{re.escape(da.call_id)}.*dialog: call {cookie:016x} adopted"))
    e.reply(inv, 180, "Ringing", to_tag=tag)
    r = a.recv("180", lambda m: not m.is_request)
    check(r.status == 180 and len(r.all("via")) == 1, f"the caller got '{r}' {r.all('via')}")

    e.reply(inv, 200, "OK", sdp("10.0.2.2", 7000, 1), to_tag=tag)
    r = da.final("INVITE", cs)
    check(r.status == 200 and r.tag("to") == tag and len(r.all("via")) == 1,
          f"the caller got '{r}' To {r.h('to')} Via {r.all('via')}")
    expect_sdp("200 after the resume", r.body, call.to_a)
    call.confirm(e, r, ra, re_, flows)
    ok(f"after a restart and a 180, the callee's 200 reaches the caller by its Via on relay "
       f"port {call.to_a} and confirms the call on the same flows; its ACK reaches the callee")

    # The callee hangs up: the BYE reaches the caller from, and with the Via of,
    # the caller-side listener.
    de = Dialog.callee(e, inv, tag)
    cs = de.request("BYE")
    bye = callee_wait(a, "BYE")
    check(top_via(bye).startswith("SIP/2.0/UDP 10.0.1.1:5060;branch=") and
          bye.src == ("10.0.1.1", 5060), f"the caller's BYE from {bye.src}, Via {top_via(bye)}")
    a.reply(bye, 200, "OK")
    check(de.final("BYE", cs).status == 200, "BYE not answered 200")
    expect_end("BYE", da.call_id, cookie, tot.want())
    check(rows(cookie) == {"dialog_state": [], "dialog_branch": [], "media_store": []},
          f"rows left: {rows(cookie)}")
    ok(f"the callee's BYE reaches the caller from 10.0.1.1:5060, its Via's; no flow, relay "
       f"socket or row left; legs {tot.want()} count the whole call")


def main():
    if sys.argv[1:] != ["final"]:
        sys.exit(__doc__)
    scenario_answer(*scenario_final())


if __name__ == "__main__":
    main()
