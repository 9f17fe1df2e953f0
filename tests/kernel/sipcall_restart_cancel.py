#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A CANCEL for a call that rang across a kill -9 and restart of
sipproxyd (RFC 3261 16.10), played with sipcall.py's user agents:

  sipcall_restart_cancel.py cancel

The restarted daemon has no transaction for the INVITE; it CANCELs the
copy it had stored exactly as the original transaction would (9.1: same
Request-URI, top Via and branch, Route set, destination), answers the
caller's CANCEL 200 itself, ACKs the callee's 487 hop by hop and sends it
up by its Via; the call's flows, relay ports and rows are gone. A second
call whose copy is not stored (a database of the version before) has its
CANCEL forwarded statelessly by its Request-URI (16.10, 16.11) and ends at
once.
Environment: as sipcall.py's restart scenario, with DATABASE (the
[registrar] database file).
"""
import os
import re
import sqlite3
import sys

from sipcall import (Ringing, callee_wait, check, expect_end, expect_flows, log_lines, media, ok,
                     proxy_restart, relay_sockets, restart_parties, same_flows, wait_for)


def db_handle(cookie):
    """The call's handle as the database stores it (a signed 64-bit integer)."""
    return cookie - (1 << 64) if cookie >= 1 << 63 else cookie


def rows(cookie):
    """{table: rows of the call} in the daemon's database."""
    handle = db_handle(cookie)
    db = sqlite3.connect(os.environ["DATABASE"])
    try:
        return {t: db.execute(f"SELECT * FROM {t} WHERE handle = ?", (handle,)).fetchall()
                for t in ("dialog_state", "dialog_branch", "media_store")}
    finally:
        db.close()


def top_via(msg):
    return msg.all("via")[0]


def kill_next():
    """proxy_restart() kills PROXY_PID: make it the daemon the last restart started."""
    started = log_lines(r"sipproxyd\[\d+\]: notice: started")
    os.environ["PROXY_PID"] = re.search(r"sipproxyd\[(\d+)\]", started[-1]).group(1)


def scenario_cancel():
    a, e, ra, re_ = restart_parties()
    call = Ringing(a, e, ra, re_)
    da, cs, caller_via, inv, cookie, tag = (call.da, call.cs, call.caller_via, call.inv,
                                            call.cookie, call.tag)
    to_a, to_e, tot = call.to_a, call.to_e, call.tot
    flows = expect_flows("183", cookie, 4)
    branch = re.search(r";branch=([^;]+)", top_via(inv)).group(1)
    stored = wait_for("the ringing copy stored", lambda: rows(cookie)["dialog_branch"])
    check(len(stored) == 1 and stored[0][2] == branch and stored[0][3] == "UDP" and
          stored[0][4] == "10.0.2.2:5070",
          f"dialog_branch rows {[r[:5] for r in stored]}, want one for {branch} to UDP "
          "10.0.2.2:5070")
    ok(f"the call rings with early media; its INVITE copy ({branch}) is stored")

    proxy_restart()
    wait_for("adoption", lambda: log_lines(
        rf"{re.escape(da.call_id)}.*dialog: call {cookie:016x} adopted"))
    same_flows("adopted", flows, expect_flows("adopted", cookie, 4))
    tot.add(media("after the restart", ra, to_a, re_, to_e, (20, 20), 20, 20))
    ok("kill -9 and restart while ringing: the call is adopted, early media flows")

    call.cancel(a)
    r = a.recv("200 to CANCEL", lambda m: m.method == "CANCEL")
    check(r.first == "SIP/2.0 200 OK" and r.cseq == cs, f"CANCEL answered '{r}' CSeq {r.cseq}")
    c = callee_wait(e, "CANCEL")
    check(c.first == f"CANCEL {inv.first.split()[1]} SIP/2.0",
          f"the callee's CANCEL '{c.first}', the INVITE was '{inv.first}'")
    check(c.all("via") == [top_via(inv)], f"CANCEL Via {c.all('via')}, want [{top_via(inv)}]")
    check(c.all("route") == inv.all("route") == [], f"Route {c.all('route')}, {inv.all('route')}")
    check(c.h("cseq") == f"{inv.cseq} CANCEL" and c.h("to") == inv.h("to") and
          c.h("from") == inv.h("from") and c.h("call-id") == inv.h("call-id"),
          f"CANCEL CSeq/From/To/Call-ID differ from the INVITE's: {c.hdrs}")
    check(c.src == inv.src, f"CANCEL from {c.src}, the INVITE from {inv.src}")
    check(len(log_lines(rf"{re.escape(da.call_id)}.*dialog: call {cookie:016x} resumed: "
                        r"1 branches to CANCEL")) == 1, "no 'resumed: 1 branches' line")
    ok("the caller's CANCEL is answered 200 by the restarted sipproxyd; the callee gets a "
       "CANCEL with the INVITE's branch, Request-URI and headers, from the same address")

    e.reply(c, 200, "OK")
    e.reply(inv, 487, "Request Terminated", to_tag=tag)
    ack = callee_wait(e, "ACK", "ACK of the 487")
    check(ack.all("via") == [top_via(inv)] and ack.h("cseq") == f"{inv.cseq} ACK" and
          ack.tag("to") == tag, f"ACK of the 487: {ack.hdrs}")
    r = da.final("INVITE", cs)
    mine = caller_via.rsplit(";rport", 1)[0]
    check(r.status == 487 and len(r.all("via")) == 1 and r.all("via")[0].startswith(mine + ";"),
          f"the caller got '{r}' with Via {r.all('via')}, want its own ({mine})")
    da.ack_failure(r)
    ok("the callee's 487 is ACKed with the INVITE's branch and reaches the caller by its Via")

    expect_end("CANCEL", da.call_id, cookie, tot.want())
    check(len(log_lines(rf"{re.escape(da.call_id)}.*dialog: call {cookie:016x} ended "
                        r"\(cancel\)")) == 1, "no 'ended (cancel)' line")
    left = rows(cookie)
    check(left == {"dialog_state": [], "dialog_branch": [], "media_store": []},
          f"rows left: {left}")
    check(relay_sockets() == 0, f"{relay_sockets()} relay sockets left")
    ok(f"the call ended (cancel): no flow, relay socket or stored row left; legs {tot.want()}")
    return a, e, ra, re_


def scenario_fallback(a, e, ra, re_):
    """A ringing call whose INVITE copy is not stored (a database of the
    version before): after the restart its CANCEL is forwarded statelessly
    by its Request-URI (16.10), under a branch of our own the callee does
    not know (16.11: the same for each retransmission)."""
    call = Ringing(a, e, ra, re_)
    da, cs, inv, cookie, tag, tot = call.da, call.cs, call.inv, call.cookie, call.tag, call.tot
    wait_for("the ringing copy stored", lambda: rows(cookie)["dialog_branch"])
    db = sqlite3.connect(os.environ["DATABASE"])
    db.execute("DELETE FROM dialog_branch WHERE handle = ?", (db_handle(cookie),))
    db.commit()
    db.close()
    kill_next()
    # It comes back authenticating our users: alice's CANCEL must still pass
    # unchallenged (22.1: a CANCEL cannot be resubmitted with credentials).
    creds = os.path.join(os.path.dirname(os.environ["DATABASE"]), "credentials")
    with open(creds, "w") as f:
        f.write("alice@localhost:plain:secret\n")
    with open(os.environ["PROXY_CONF"], "a") as f:
        f.write(f"[auth]\ncredentials_file = {creds}\n")
    proxy_restart()
    wait_for("adoption", lambda: log_lines(
        rf"{re.escape(da.call_id)}.*dialog: call {cookie:016x} adopted"))

    call.cancel(a)
    c = callee_wait(e, "CANCEL")
    mine = call.caller_via.rsplit(";rport", 1)[0]
    check(c.first == f"CANCEL {inv.first.split()[1]} SIP/2.0" and len(c.all("via")) == 2 and
          re.fullmatch(re.escape(top_via(inv).split(";")[0]) +
                       r";branch=z9hG4bK[0-9a-f]{16}\.sl;rport", c.all("via")[0]) and
          c.all("via")[1].startswith(mine + ";") and
          c.h("cseq") == f"{inv.cseq} CANCEL",
          f"the forwarded CANCEL: '{c.first}' Via {c.all('via')} CSeq {c.h('cseq')}")
    e.reply(c, 481, "Call/Transaction Does Not Exist", to_tag=tag)
    r = a.recv("the answer to CANCEL", lambda m: m.method == "CANCEL")
    check(r.status == 481, f"CANCEL answered '{r}', want the callee's 481")
    expect_end("fallback CANCEL", da.call_id, cookie, tot.want())
    check(rows(cookie) == {"dialog_state": [], "dialog_branch": [], "media_store": []},
          f"rows left: {rows(cookie)}")
    e.reply(inv, 487, "Request Terminated", to_tag=tag)
    r = da.final("INVITE", cs)
    check(r.status == 487, f"the caller got '{r}'")
    da.ack_failure(r)
    ok("without a stored copy the CANCEL is forwarded statelessly by its Request-URI (a "
       "stateless branch of ours; the callee's 481 comes back by Via), unchallenged with "
       "authentication on, the call ends with no flow or row left, a 487 goes up by Via")


def main():
    if sys.argv[1:] != ["cancel"]:
        sys.exit(__doc__)
    scenario_fallback(*scenario_cancel())


if __name__ == "__main__":
    main()
