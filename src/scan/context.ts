import type { Endpoint } from '../net/target.js';
import type { HostPool, Priority } from '../net/pool.js';
import { sendHelloStocked, silentClose, type ProbeOptions, type ProbeOutcome } from '../net/probe.js';
import { ConnectionStock } from '../net/stock.js';
import type { ProtocolName, ScanError } from './types.js';
import { scanHello, type ScanHelloOptions } from './hellos.js';
import { errorMessage } from '../util/errors.js';
import { KxReuseLog } from './kx-reuse.js';
import { suiteByCode } from '../registry/ciphers.js';

/** What every check gets: where to connect, how, and where to report problems. */
export class ScanContext {
  readonly errors: ScanError[] = [];
  /** Every (EC)DHE key the probes' ServerKeyExchange messages showed, one per connection (scan/kx-reuse.ts). */
  readonly kxKeys = new KxReuseLog();
  /** Probes sent, for the progress line and benchmarks. */
  probes = 0;
  /** Probes sent per purpose ("protocols", "ciphers", "order", "groups", ...), for benchmarks. */
  readonly probesBy: Record<string, number> = {};
  onProgress?: (probes: number) => void;
  /** Called after every probe (the CLI's --trace). */
  onProbe?: (p: ProbeTrace) => void;
  /** Called after every full handshake of a check's own (ownHandshake; the CLI's --trace). */
  onHandshake?: (h: HandshakeTrace) => void;
  /** Called with each decision about how to probe this server (the CLI's --trace). */
  onNote?: (text: string) => void;
  /** Round 1 showed that the server answers a hello with a pipelined close_notify (net/probe.ts) as it answers one without. */
  pipelineVerified = false;
  /** The server queues connections (judgeQueueing): it serves one at a time. */
  queueing = false;
  /** How long each answered probe of round 1 took, ms, in the order they ended. */
  readonly answerTimes: number[] = [];
  /** Set once round 1 is judged: later answers are not recorded. */
  private judged = false;
  /** When round 1's pipelined probes that were answered with a ServerHello ended (performance.now()). */
  readonly pipelinedHellos: number[] = [];
  /** When round 1's pipelined probes that were answered at all (a ServerHello, a HelloRetryRequest, an alert) ended. */
  readonly pipelinedAnswers: number[] = [];
  /** When round 1's plain TLS 1.2 hello was answered (performance.now()): the pipelined answers after it count for handshakeMs. */
  holdAnswered = -Infinity;
  private silentRefusals = 0;

  /**
   * Probes end with a pipelined close once it is verified, and the server
   * queues connections or is near: there it pays (a probe no longer holds a
   * server that serves one connection at a time for a round trip), and
   * elsewhere probes stay as plain as can be. Near, round 1 cannot tell such
   * a server from one that serves connections at once (a millisecond of our
   * own CPU looks like queueing), and the close costs the latter nothing:
   * engine ms, medians of 5-12 interleaved, plain -> pipelined, through the
   * shared latency proxy at 8 ms: gnutls-serv (3des bench server) 861 ->
   * 362, openssl s_server -www 1011 -> 607, nginx (modern) 220 -> 218; on
   * loopback: gnutls-serv 204 -> 178, nginx legacy 370 -> 358, modern 113 ->
   * 115, s_server 341 -> 339; the same results in every scan.
   */
  get pipelineClose(): boolean {
    return this.pipelineVerified && (this.queueing || this.near) && this.silentRefusals < SILENT_REFUSALS_MAX;
  }

  /**
   * The server's finite-field DH group is one of HEAVY_DH_BITS or more (the DH probe's answer):
   * every hello that offers a DHE suite may then make it compute such a key, and against a server
   * that serves one connection at a time such probes are heavy too (HEAVY).
   */
  heavyDhe = false;

  /** Versions the server answers only without extensions (extension intolerance): their hellos go bare. */
  readonly bare = new Set<ProtocolName>();

  /** A scan hello for this server: bare for a version it answers only that way. */
  hello(o: ScanHelloOptions): Uint8Array {
    return scanHello(this.bare.has(o.version) ? { ...o, bare: true } : o);
  }

  constructor(
    readonly ep: Endpoint,
    readonly pool: HostPool,
    readonly timeoutMs: number,
    readonly signal: AbortSignal,
  ) {
    this.windowLimit = pool.limit;
  }

  /**
   * One probe through the host pool. Never throws. A pipelined probe that the
   * server closed without a byte is asked again, first the same way
   * (PIPELINED_RETRIES times), then without the pipelined close. A relay that
   * drops data when the server closes right after its flight (seen with a
   * Node.js latency proxy, about one probe in twenty-five) looks like that,
   * and so does a server that dislikes pipelined data. The pipelined retries
   * come first: against a server that serves one connection at a time, a
   * plain probe holds it, and every other probe, for a round trip. When the plain retries come back silent too, the
   * server closes silently to refuse, and the pipelined closes, now
   * ambiguous, stop. Unless told, a probe is pipelined or not as the scan
   * stands when it leaves the pool's queue, not when it was asked for.
   */
  async probe(
    purpose: string, hello: Uint8Array, readUntil: 'serverHello' | 'serverHelloDone' = 'serverHello', pipelineClose?: boolean,
    /**
     * How a silent close of a pipelined probe is asked again: pipelined, then plainly (the
     * default); pipelined only (the round-1 check); not at all (round 1 asks plainly beside).
     */
    retry: 'plain' | 'pipelined' | 'none' = 'plain',
    /** Withdraws this probe (round 1 drops a plain probe whose question was answered). */
    withdraw?: AbortSignal,
  ): Promise<ProbeOutcome> {
    const out = await this.probeOnce(purpose, hello, readUntil, pipelineClose, retry, withdraw);
    this.kxKeys.note(out);
    if (out.kind === 'failed' && UNANSWERED.includes(out.code)) {
      this.unanswered.push({ purpose: purpose.replace(/\(.*$/, ''), code: out.code });
    }
    return out;
  }

  /**
   * One plain probe that reads the whole flight, with what `more` asks of
   * the connection after it (ProbeOptions.afterFlight: Heartbleed, ROBOT):
   * no pipelined close, no retry. For checks whose question is already
   * known to have an answer.
   */
  async probeWith(purpose: string, hello: Uint8Array, more: Pick<ProbeOptions, 'afterFlight' | 'trailing'>): Promise<ProbeOutcome> {
    const [out] = await this.send(purpose, hello, 'serverHelloDone', false, undefined, undefined, more);
    return out;
  }

  /**
   * A server that stops answering mid-scan (a firewall that starts dropping
   * after a burst, a server that hangs) would have every probe left wait its
   * whole deadline: a stalled nginx took 55 s (120 s, the scan's deadline,
   * before the ladder). So: once STALL_SILENT probes in a row timed out with
   * no sign of life from the server for most of a probe deadline (any answer,
   * alert, close or reset is one), a hello it answered before is asked
   * again; timed out too, the server has stopped answering, and the scan
   * stops (`onStalled`) with what it has, saying so: two probe deadlines
   * after the stall. A server that ignores some hellos rather than refusing
   * them answers that control, and the scan goes on.
   */
  private noteLife(outcome: ProbeOutcome, ended: number, hello: Uint8Array, readUntil: 'serverHello' | 'serverHelloDone'): void {
    if (outcome.kind === 'failed' && outcome.code === 'aborted') return;
    if (outcome.kind === 'hello') this.liveHello = { hello, readUntil };
    if (!(outcome.kind === 'failed' && outcome.code === 'timeout')) {
      this.alive(ended);
      return;
    }
    // Silent for most of a probe deadline: no sign of life since (round 1's last answers may come in
    // just after the next probes went out).
    if (ended - this.aliveAt < this.timeoutMs * 0.9 || !this.judged || this.stalled) return;
    if (++this.silentInARow < STALL_SILENT || this.stallCheck || !this.liveHello) return;
    const control = this.liveHello;
    const asked = performance.now();
    // Beside the window, not behind it: the probes in flight are the silent ones.
    this.countProbe('control(stalled?)');
    this.stallCheck = sendHelloStocked(this.ep, control.hello, { timeoutMs: this.timeoutMs, readUntil: control.readUntil, signal: this.signal }).then(({ outcome: out }) => {
      const ended = performance.now();
      this.onProbe?.({ purpose: 'control(stalled?)', started: asked, ended, pipelineClose: false, outcome: out });
      if (!(out.kind === 'failed' && out.code === 'timeout')) {
        // Answered: the silent probes were refusals of the server's own kind, not a stall.
        this.alive(ended);
        return;
      }
      if (this.aliveAt >= asked) return;
      this.stalled = true;
      this.error('stalled', `the server stopped answering: ${this.silentInARow} probes in a row got no answer within ${this.timeoutMs} ms, nor did a hello it had answered before; `
        + 'the scan stopped there, and its results are partial', 'stalled');
      this.onNote?.('stalled: no answer to a hello answered before; the scan stops');
      this.onStalled?.();
    }).finally(() => { this.stallCheck = undefined; });
  }

  /** A sign of life from the server at `at`: the count of silent probes starts again. */
  private alive(at: number): void {
    this.aliveAt = Math.max(this.aliveAt, at);
    this.silentInARow = 0;
  }

  /** Told once the server is judged to have stopped answering (noteLife): the scan's probes should end. */
  onStalled?: () => void;
  /** The server stopped answering (noteLife). */
  stalled = false;
  private aliveAt = -Infinity;
  private silentInARow = 0;
  private liveHello: { hello: Uint8Array; readUntil: 'serverHello' | 'serverHelloDone' } | undefined;
  private stallCheck: Promise<void> | undefined;

  /** Probes that got no answer in the end (timed out, refused, unreachable), for noAnswers. */
  private readonly unanswered: { purpose: string; code: string }[] = [];

  /**
   * One line on the probes that got no answer at all, if any: what they
   * asked is missing from the results (a server that stops accepting our
   * connections mid-scan, a firewall that bans after some, one that stalls).
   */
  noAnswers(): string | undefined {
    if (!this.unanswered.length) return undefined;
    const count = (key: 'purpose' | 'code') => {
      const m = new Map<string, number>();
      for (const u of this.unanswered) m.set(u[key], (m.get(u[key]) ?? 0) + 1);
      return [...m].map(([k, n]) => `${k} ${n}`).join(', ');
    };
    return `${this.unanswered.length} of ${this.probes} probes got no answer (${count('code')}; asked for: ${count('purpose')}): `
      + 'what they asked is missing from these results, which may be incomplete';
  }

  private async probeOnce(
    purpose: string, hello: Uint8Array, readUntil: 'serverHello' | 'serverHelloDone', pipelineClose: boolean | undefined,
    retry: 'plain' | 'pipelined' | 'none', withdraw?: AbortSignal,
  ): Promise<ProbeOutcome> {
    const [first, piped, crowd] = await this.send(purpose, hello, readUntil, pipelineClose, withdraw);
    // A drop of a plain probe, or a refused pipelined one, goes to uncrowded. A silent close of a
    // pipelined one is first asked again as below; round 1's pipelined probes (retry 'none' and
    // the 'pipelined' check) have plain twins that answer for them, and a path that drops
    // pipelined data must not pass for a server that refuses by closing. Near (and not judged to
    // queue), where a plain retry would hold no server long, it goes to uncrowded as a plain drop
    // does: a limit on our connections is then found as soon (nginx behind a relay that resets
    // the connections past 3: the pipelined retries got through once the crowd had thinned, and
    // the window stayed 8 while resets went on).
    const nearDrop = this.near && !this.queueing;
    if (!piped || ((!silentClose(first) || nearDrop) && retry !== 'none')) return this.uncrowded(first, crowd, purpose, hello, readUntil, pipelineClose, withdraw);
    if (retry === 'none') return first;
    let again = first;
    for (let i = 0; i < PIPELINED_RETRIES; i++) {
      let crowdAgain: number;
      [again, , crowdAgain] = await this.send(`${purpose}(retry)`, hello, readUntil, true, withdraw);
      if (!silentClose(again)) return this.uncrowded(again, crowdAgain, purpose, hello, readUntil, true, withdraw);
    }
    if (retry === 'pipelined') return again;
    // A plain probe holds a server that queues connections for a round trip, and every connection
    // in flight waits in its listen queue meanwhile: from now on no more than its backlog can take
    // (the 3des bench server lost a second to dropped SYNs when one went out with 24 in flight).
    if (this.queueing && this.pool.limit > QUEUEING_WINDOW) {
      this.pool.cap(QUEUEING_WINDOW);
      this.onNote?.(`a pipelined probe was closed without an answer ${PIPELINED_RETRIES + 1} times: asked plainly, and at most ${QUEUEING_WINDOW} probes in flight from now on`);
    }
    const [plain, , crowdPlain] = await this.send(`${purpose}(plain retry)`, hello, readUntil, false, withdraw);
    const out = await this.uncrowded(plain, crowdPlain, purpose, hello, readUntil, false, withdraw);
    if (silentClose(out)) this.silentRefusals++;
    return out;
  }

  /**
   * Whether a connection closed or refused without a byte says no. Some
   * servers refuse a hello by closing; but a limit on our connections (the
   * server's, or a firewall's: iptables connlimit resets or refuses the
   * connections past it) drops connections the same way, whatever they ask,
   * and taken for a refusal it would hide suites, versions and groups. So:
   * - dropped beside other probes, it is asked again at once (a relay can
   *   lose an answer: the shared latency proxy does, now and then, when the
   *   server closes right after an alert), the window first narrowed to the
   *   probes that were in flight beside it once a limit is known;
   * - dropped again, or alone, it is asked alone (`HostPool.solo`: the
   *   probes in flight finish, every other waits). Answered: a limit, and
   *   the window narrows. Dropped: a hello the server is known to answer
   *   (`control`) is asked alone. Answered: the server refuses by closing,
   *   and from then on a silent close is an answer. Dropped too: a limiter
   *   still counting our closed connections (conntrack does for a while),
   *   or a server gone: again after a pause, three times, before the drop
   *   stands (a port refused throughout is taken as closed).
   * SSLv2 hellos are left out: servers that do not speak it commonly close.
   */
  private async uncrowded(
    outcome: ProbeOutcome, crowd: number, purpose: string, hello: Uint8Array, readUntil: 'serverHello' | 'serverHelloDone',
    pipelineClose: boolean | undefined, withdraw?: AbortSignal,
  ): Promise<ProbeOutcome> {
    let out = outcome;
    let others = crowd;
    const gone = () => !!withdraw?.aborted || this.signal.aborted;
    if (hello[0] !== TLS_HANDSHAKE_RECORD) return out;
    let tries = 0;
    for (let turns = 0; dropped(out) && turns < CROWD_RETRIES * 4; turns++) {
      if ((this.closesAnswer === true && silentClose(out)) || this.portRefuses || gone()) break;
      // Dropped alone already, three times, while no hello was ever answered: nothing to learn
      // from asking each dropped probe alone again.
      if (this.dropsAlone && !this.control) break;
      if (others > 0 && tries < CROWD_RETRIES && (tries === 0 || this.closesAnswer === false)) {
        if (this.closesAnswer === false) this.limitConnections(others);
        tries++;
        [out, , others] = await this.send(`${purpose}(retry)`, hello, readUntil, pipelineClose, withdraw);
        continue;
      }
      if (this.limitTest) { await this.limitTest; continue; } // another probe's tests alone first
      let verdict!: () => void;
      this.limitTest = new Promise<void>((resolve) => { verdict = resolve; });
      try {
        out = await this.alone(out, purpose, hello, readUntil, pipelineClose, withdraw, Math.max(others, crowd));
      } finally {
        this.limitTest = undefined;
        verdict();
      }
      break;
    }
    if (out.kind === 'hello') this.control ??= { hello, readUntil };
    return out;
  }

  /**
   * The tests of uncrowded, alone: the hello's own outcome in the end. Each
   * probe goes with nothing else in flight, after a pause: a limiter may
   * count a closed connection a little longer (conntrack until the close is
   * through; a busy relay until it gets to it). The hello, then a hello the
   * server answers (the control), then the hello again: dropped, answered,
   * dropped is the server's no; the hello answered at any point is a limit;
   * the control dropped is a limiter still counting, or a server gone:
   * again with a longer pause.
   */
  private async alone(
    dropOutcome: ProbeOutcome, purpose: string, hello: Uint8Array, readUntil: 'serverHello' | 'serverHelloDone',
    pipelineClose: boolean | undefined, withdraw: AbortSignal | undefined, crowd: number,
  ): Promise<ProbeOutcome> {
    let out = dropOutcome;
    let refusedOnly = true;
    const limited = (o: ProbeOutcome) => {
      if (o.kind !== 'failed' && crowd > 0) {
        if (this.closesAnswer !== false) this.onNote?.('a hello dropped (closed, reset or refused without a byte) beside other probes was answered alone: our connections are limited');
        this.closesAnswer = false;
        this.limitConnections(crowd);
      }
      return o;
    };
    const release = this.pool.solo();
    try {
      // Refused, and no connection to this port has ever been accepted, once the probes in flight
      // are done: the port is closed (a limit on connections lets the first in). Not asked again.
      await this.pool.run(async () => undefined, this.signal, 'held').catch(() => undefined);
      if (!this.connected && out.kind === 'failed' && out.code === 'refused') {
        this.portRefuses = true;
        return out;
      }
      for (const wait of ALONE_PAUSES_MS) {
        const ask = async (h: Uint8Array, until: 'serverHello' | 'serverHelloDone', label: string, w?: AbortSignal): Promise<ProbeOutcome | null> => {
          await this.pool.run(async () => undefined, this.signal, 'held').catch(() => undefined); // the probes in flight are done
          if (!(await pause(wait, this.signal)) || w?.aborted) return null;
          return (await this.send(label, h, until, pipelineClose, w, 'held'))[0];
        };
        const first = await ask(hello, readUntil, `${purpose}(alone)`, withdraw);
        if (!first) break;
        out = first;
        if (!dropped(out)) return limited(out);
        if (silentClose(out)) refusedOnly = false;
        const control = this.control && this.control.hello !== hello ? this.control : undefined;
        if (!control) continue;
        const check = await ask(control.hello, control.readUntil, 'control(alone)');
        if (!check) break;
        if (dropped(check)) continue;
        refusedOnly = false;
        const again = await ask(hello, readUntil, `${purpose}(alone)`, withdraw);
        if (!again) break;
        out = again;
        if (!dropped(out)) return limited(out);
        if (silentClose(out)) {
          if (this.closesAnswer !== true) this.onNote?.('a hello dropped beside other probes was closed alone too, twice, while a hello the server answers was answered between: this server closes to refuse');
          this.closesAnswer = true;
          return out;
        }
      }
    } finally {
      release();
    }
    if (refusedOnly && out.kind === 'failed' && out.code === 'refused') this.portRefuses = true;
    if (dropped(out) && !this.control && !withdraw?.aborted && !this.signal.aborted) this.dropsAlone = true;
    return out;
  }

  /** Learned by uncrowded: a silent close alone is this server's way to say no (true), or drops were a limit (false). */
  private closesAnswer: boolean | undefined;
  /** The tests alone of uncrowded, one at a time: the other dropped probes wait for the verdict. */
  private limitTest: Promise<void> | undefined;
  /** Refused alone, again and again, with a control refused too: the port is closed now. */
  private portRefuses = false;
  /**
   * A probe was dropped alone after each pause while no hello had ever been answered (a port that
   * closes or resets every connection): the other dropped probes are not asked alone in turn,
   * each after the same pauses (a server that closes every connection took 6 s on loopback).
   */
  private dropsAlone = false;
  /** Whether any probe got a TCP connection accepted (its outcome came after the connect). */
  private connected = false;
  /** A hello the server answered (with a ServerHello): the control of uncrowded. */
  private control: { hello: Uint8Array; readUntil: 'serverHello' | 'serverHelloDone' } | undefined;

  /** At most `others` probes in flight from now on: one more was closed or refused. */
  private limitConnections(others: number): void {
    this.stopStock('our connections are limited');
    const cap = Math.max(1, others);
    if (cap >= this.pool.limit) return;
    this.pool.cap(cap);
    this.onNote?.(`connections past ${cap} at once are closed or refused: at most ${cap} probe${cap === 1 ? '' : 's'} in flight from now on`);
  }

  /** One connection through the pool: its outcome, whether it carried a pipelined close, and how many other probes were in flight when it started. */
  private async send(
    purpose: string, hello: Uint8Array, readUntil: 'serverHello' | 'serverHelloDone', pipelineClose: boolean | undefined, withdraw?: AbortSignal,
    priority?: Priority, more?: Pick<ProbeOptions, 'afterFlight' | 'trailing'>,
  ): Promise<[ProbeOutcome, boolean, number]> {
    const withdrawn: ProbeOutcome = { kind: 'failed', code: 'aborted', message: 'probe withdrawn' };
    if (withdraw?.aborted) return [withdrawn, false, 0];
    if (this.signal.aborted) return [{ kind: 'failed', code: 'aborted', message: 'scan deadline reached' }, false, 0];
    const signal = withdraw ? AbortSignal.any([this.signal, withdraw]) : this.signal;
    let piped = false;
    let reissued = false;
    let crowd = 0;
    try {
      const outcome = await this.pool.run(async () => {
        piped = pipelineClose ?? this.pipelineClose;
        crowd = this.pool.inFlight - 1;
        // A plain probe that a later judgement finds holding a server that queues connections is
        // sent again pipelined (reissuePlain).
        const reissue = !piped && pipelineClose === undefined && this.mayQueueLate() ? new AbortController() : undefined;
        if (reissue) this.plainInFlight.add(reissue);
        this.countProbe(purpose);
        const started = performance.now();
        // Round 1's starts count for the stock's first fill; later ones only while there is a stock.
        if (this.stock || !this.judged) this.starts.push(started);
        this.refillStock();
        const stocked = await sendHelloStocked(this.ep, hello, {
          timeoutMs: this.timeoutMs, readUntil, signal: reissue ? AbortSignal.any([signal, reissue.signal]) : signal, pipelineClose: piped, ...more,
          stock: this.stock, stockRetries: this.stockRetries,
        });
        const outcome = stocked.outcome;
        if (stocked.spare) this.noteStocked(stocked.retried, outcome);
        const ended = performance.now();
        if (reissue) this.plainInFlight.delete(reissue);
        reissued = !!reissue?.signal.aborted && !signal.aborted;
        this.onProbe?.({ purpose, started, ended, pipelineClose: piped, outcome: reissued ? { kind: 'failed', code: 'aborted', message: 'sent again with a pipelined close' } : outcome });
        this.noteLife(outcome, ended, hello, readUntil);
        if (outcome.kind !== 'failed') this.noteAnswer(ended - started);
        if (outcome.kind !== 'failed' || CONNECTED.has(outcome.code)) this.connected = true;
        if (!this.judged && piped && outcome.kind === 'hello') this.pipelinedHellos.push(ended);
        if (!this.judged && piped && outcome.kind !== 'failed') this.pipelinedAnswers.push(ended);
        return outcome;
      }, signal, priority ?? priorityOf(purpose), () => this.queueing && (HEAVY.test(purpose) || (this.heavyDhe && offersDhe(hello))));
      if (reissued) return this.send(purpose, hello, readUntil, undefined, withdraw, priority);
      return [outcome, piped, crowd];
    } catch (err) {
      // The pool turns a wait away once the probe is withdrawn or the deadline is reached; anything
      // else thrown here is a fault of ours, told as such rather than as the deadline.
      if (!signal.aborted) this.error('probes', `internal error in a ${purpose} probe: ${errorMessage(err)}`, 'internal');
      return [withdraw?.aborted ? withdrawn : { kind: 'failed', code: 'aborted', message: signal.aborted ? 'scan deadline reached' : 'internal error' }, false, 0];
    }
  }

  /** Whether noteAnswer may still judge the server to queue connections (a far server judged concurrent, pipelined closes verified). */
  private mayQueueLate(): boolean {
    return this.judged && !this.queueing && this.quickest >= NEAR_MS && this.pipelineVerified;
  }

  /** Plain probes in flight that were sent while the scan did not pipeline: reissuePlain aborts them. */
  private readonly plainInFlight = new Set<AbortController>();

  /**
   * Sends again, pipelined, the plain probes in flight: a server judged to
   * queue connections only after round 1 (noteAnswer) is held by each of
   * them for a round trip, one after the other, while a pipelined probe
   * costs it only its handshake. An aborted probe closes its connection,
   * which frees the server as a pipelined close would.
   */
  private reissuePlain(): void {
    if (!this.pipelineClose) return;
    for (const c of this.plainInFlight) c.abort();
    this.plainInFlight.clear();
  }

  /**
   * Judges, from the answers so far (round 1), whether the server queues
   * connections: a server that serves one connection at a time answers the
   * probes it holds back a round trip or more after the first (round 1's
   * plain TLS 1.2 hello holds it a round trip: the rest of the round comes
   * back at about twice its time; a cold first answer can make that as
   * little as 1.6 times). Two late answers are needed; one can be a hiccup
   * of the network or of this process. A queueing server gets a paced
   * window from now on, a near server a narrow one. Should a server judged
   * concurrent go on to answer late, it is judged again (noteAnswer).
   */
  judgeQueueing(): void {
    this.judged = true;
    const quickest = Math.min(...this.answerTimes);
    this.quickest = quickest;
    const early = this.queueing;
    if (quickest < NEAR_MS) {
      // A server a few milliseconds away answers faster than it could use a wide window: a few
      // probes in flight keep it busy, and a burst could overflow a small listen backlog, which
      // this close cannot be told from its answers (a millisecond of our own CPU looks like
      // queueing). Far away, the window must cover the round trip.
      this.pool.cap(NEAR_WINDOW);
      this.onNote?.(`near (quickest answer ${quickest.toFixed(0)} ms): at most ${this.pool.limit} probes in flight`);
      return;
    }
    // An early verdict is confirmed by answers 1.3 times the quickest: where each connection pays
    // its TCP handshake too (a real network), the quickest answer took two round trips and one held
    // back by the plain TLS 1.2 hello three, 1.5 times, on the edge of the plain threshold
    // (bench/tcp-rtt-proxy.mjs showed a far gnutls-serv's early verdict taken back so).
    const late = this.heldBack(quickest, early ? EARLY_LATE_FACTOR : LATE_FACTOR);
    if (late >= 2) {
      // Judged early, the window and pace stand: the answers held back came in between the
      // early TLS 1.2 probes, whose handshakes would count in their spacing.
      const hs = early ? this.earlyHandshakeMs : this.handshakeMs();
      if (!early) this.startQueueing(this.pipelineVerified ? hs : Infinity);
      this.onNote?.(`takes one connection at a time (${late} of ${this.answerTimes.length} answers held back behind the quickest, ${quickest.toFixed(0)} ms)${early ? ', as judged early' : ''}: `
        + `${this.pool.limit} probes in flight, started ${+this.pool.gapMs.toFixed(1)} ms apart, pipelined closes ${this.pipelineVerified ? 'on' : 'off (not shown to work)'}`
        + (Number.isFinite(hs) ? `; a handshake takes it about ${hs.toFixed(1)} ms` : ''));
      return;
    }
    if (early) {
      // The answers held back at the early verdict never came in late (they failed): not queueing after all.
      this.queueing = false;
      this.pool.uncap(this.windowLimit);
      this.pool.pace(0);
    }
    this.onNote?.(`far (quickest answer ${quickest.toFixed(0)} ms), serves connections at once: up to ${this.pool.limit} probes in flight`
      + (early ? ' (judged to take one connection at a time early: undone)' : ''));
    // Connections opened ahead would hold a server that takes one at a time: only when round 1
    // leaves no doubt, every answer close behind the quickest and no early verdict taken back.
    const straggler = this.answerTimes.some((ms) => ms > quickest * STOCK_SPREAD + 5);
    if (!early && !straggler) this.startStock();
    else if (this.connectAhead) this.onNote?.(`no connections opened ahead: ${early ? 'the early verdict was taken back' : 'some of round 1\'s answers came in late'}`);
  }

  /** Whether round 1's answers so far would have judgeQueueing find queueing (far, and two answers held back), or an early verdict did. */
  looksQueueing(): boolean {
    if (this.queueing) return true;
    const quickest = Math.min(...this.answerTimes);
    return quickest >= NEAR_MS && this.heldBack(quickest, LATE_FACTOR) >= 2;
  }

  /** Round 1's answers that came in later than `factor` times the quickest (and 5 ms more): held back. */
  private heldBack(quickest: number, factor: number): number {
    return this.answerTimes.filter((ms) => ms > quickest * factor + 5).length;
  }

  /**
   * The early verdict of round 1 (run.ts): the server answered the TLS 1.2
   * hello with a pipelined close and the plain one after it alike, and at
   * least three more of round 1's probes are still held back a little after
   * them (run.ts, earlyVerdict): the plain one holds a server that serves
   * one connection at a time for a round trip. The TLS 1.2 work can start now, a round trip before the
   * probes held back come in. `handshakeMs` is the time between the two
   * answers: the plain hello's handshake, served right after the other.
   * judgeQueueing confirms it, or undoes it, once round 1 is over.
   */
  judgeEarly(handshakeMs: number): boolean {
    const quickest = Math.min(...this.answerTimes);
    if (!(quickest >= NEAR_MS) || this.queueing) return false;
    this.pipelineVerified = true;
    this.earlyHandshakeMs = handshakeMs;
    this.startQueueing(handshakeMs);
    this.onNote?.(`takes one connection at a time (judged early, ${quickest.toFixed(0)} ms): ${this.pool.limit} probes in flight, started ${+this.pool.gapMs.toFixed(1)} ms apart, pipelined closes on; `
      + `a handshake takes it about ${handshakeMs.toFixed(1)} ms`);
    return true;
  }

  /** The handshake time the early verdict went by. */
  private earlyHandshakeMs = Infinity;

  /** The pool's window before any verdict (what judgeQueueing restores when it undoes an early one). */
  private readonly windowLimit: number;

  /**
   * What one handshake costs the server, ms, as round 1 showed it: a server
   * that serves one connection at a time serves the pipelined probes held
   * behind the plain TLS 1.2 one back to back, so their ServerHellos come
   * back spaced by its work on each (a 2048-bit RSA signature: about 0.7 ms
   * here; 4096-bit: 5 ms). A server that speaks only TLS 1.3 (held by
   * round 1's plain TLS 1.3 hello) sends one ServerHello flight after the
   * hold at most: its answers of any kind (alerts, HelloRetryRequests) are
   * timed instead, which is what the probes after round 1 cost it (TLS 1.3
   * suites and groups are asked through HelloRetryRequests, which it signs
   * nothing for). Infinity when fewer than two came back.
   */
  handshakeMs(): number {
    // Round 1's first probe (the TLS 1.2 hello with a pipelined close) is served before the plain
    // one holds the server: only the answers after that hold are spaced by handshakes alone.
    const spacing = (ended: number[]) => {
      const t = ended.filter((x) => x > this.holdAnswered);
      return t.length < 2 ? Infinity : (Math.max(...t) - Math.min(...t)) / (t.length - 1);
    };
    const hellos = spacing(this.pipelinedHellos);
    return Number.isFinite(hellos) || this.speaksTls12 ? hellos : spacing(this.pipelinedAnswers);
  }

  /** Round 1's TLS 1.2 hello was answered with a suite (run.ts sets it): its ServerHellos time the server. */
  speaksTls12 = false;

  /** Answers after round 1 far quicker than its quickest (noteFaster), and the quickest of them. */
  private fasterAnswers = 0;
  private fastest = Infinity;

  /**
   * Round 1's answers were all slow, and later ones come in at a fraction of
   * that time: what held round 1 back was no distance (a server that slept
   * before it took connections again, as openssl s_server does for a second
   * after it refused a renegotiation; one that was waking up). Judged far, a
   * near server gets the wide window and the connections opened ahead, and
   * one that serves a connection at a time is held by each idle one and
   * overflows its listen backlog (s_server scanned right after a scan of
   * it: round 1 took 841 ms, the scan 2.4 s). After FASTER_ANSWERS such
   * answers the server is judged again from the quickest of them: near, the
   * window narrows to NEAR_WINDOW, the stock closes and probes end with a
   * pipelined close once round 1 showed it works; far, it is nearer than
   * thought, and answers late against that are queueing (noteAnswer).
   * (A probe on a connection opened ahead skips the TCP handshake that
   * round 1's paid: half the time, not a third.)
   */
  private noteFaster(ms: number): void {
    this.fastest = Math.min(this.fastest, ms);
    if (++this.fasterAnswers < FASTER_ANSWERS) return;
    const before = this.quickest;
    this.quickest = this.fastest;
    this.fasterAnswers = 0;
    this.fastest = Infinity;
    if (this.quickest < NEAR_MS) {
      this.stopStock('the server is near after all');
      this.pool.cap(NEAR_WINDOW);
      this.onNote?.(`answers now come in within ${this.quickest.toFixed(0)} ms, round 1's took ${before.toFixed(0)} ms or more: near after all (round 1 was held back), at most ${this.pool.limit} probes in flight`
        + (this.pipelineClose ? ', pipelined closes on' : ''));
    } else {
      this.onNote?.(`answers now come in within ${this.quickest.toFixed(0)} ms, round 1's took ${before.toFixed(0)} ms or more: nearer than round 1 said`);
    }
  }

  /**
   * A server that queues connections gets a paced window: 10 connections,
   * or, when probes end with a pipelined close and the server's handshakes
   * (`handshakeMs`) are quick, 24 whose starts are no closer than one
   * handshake (see QUICK_WINDOW).
   */
  private startQueueing(handshakeMs = Infinity): void {
    // An idle connection of ours would hold such a server.
    this.stopStock('the server takes one connection at a time');
    this.queueing = true;
    const quick = handshakeMs <= QUICK_HANDSHAKE_MS;
    this.pool.cap(quick ? QUICK_WINDOW : QUEUEING_WINDOW);
    this.pool.heavyLimit = QUEUEING_WINDOW;
    this.pool.pace(quick ? Math.max(QUEUEING_PACE_MS, handshakeMs) : QUEUEING_PACE_MS);
  }

  /**
   * Records how long an answered probe took. Until round 1 is judged, for
   * the judgement; after it, against a far server judged concurrent,
   * answers that keep coming in at several times round 1's quickest mean
   * the server queues connections after all (round 1 can miss it: a server
   * that does not speak TLS 1.2 is not held by its plain hello).
   */
  noteAnswer(ms: number): void {
    if (!this.judged) { this.answerTimes.push(ms); return; }
    if (!this.queueing && this.quickest >= NEAR_MS && ms * FASTER_FACTOR < this.quickest) this.noteFaster(ms);
    if (this.queueing || !(this.quickest >= NEAR_MS) || ms <= this.quickest * 2.5 + 10) return;
    // Late while full handshakes of our own were under way, or just after: their CPU (ours and the
    // server's) holds answers back, which says nothing of how the server takes connections.
    if (this.ownHandshakes > 0 || performance.now() < this.ownHandshakesUntil) return;
    if (++this.lateAnswers >= LATE_ANSWERS_MAX) {
      // Round 1 did not see the server take connections one at a time: its handshake times are
      // not known, and the window stays narrow.
      this.startQueueing();
      const again = this.plainInFlight.size;
      this.reissuePlain();
      this.onNote?.(`answers keep coming in late: takes one connection at a time after all; ${this.pool.limit} probes in flight, `
        + (this.pipelineClose ? `pipelined closes on, ${again} plain probes in flight sent again pipelined` : 'pipelined closes off (not shown to work)'));
    }
  }

  /** One more connection for `purpose`: the progress line's count and the benchmarks' per-purpose one. */
  private countProbe(purpose: string): void {
    this.probes++;
    this.probesBy[purpose] = (this.probesBy[purpose] ?? 0) + 1;
    this.onProgress?.(this.probes);
  }

  /** Round 1 judged the server near (its quickest answer within NEAR_MS): the window is narrow. */
  get near(): boolean { return this.quickest < NEAR_MS; }

  private quickest = NaN;
  private lateAnswers = 0;
  private ownHandshakes = 0;
  private ownHandshakesUntil = 0;

  /**
   * Runs one full handshake of a check's own (net/tls12-client.ts) through the pool, counted as a
   * probe for `purpose`. While any is
   * under way, and one round trip after, late answers do not make the server judged to queue
   * connections (noteAnswer): six of them begun with round 2's answers made the legacy bench
   * server, 50 ms away, look that way in one scan in eight.
   */
  async ownHandshake<T>(purpose: string, fn: () => Promise<T>, describe?: (r: T) => string): Promise<T> {
    return this.pool.run(async () => {
      this.countProbe(purpose);
      this.ownHandshakes++;
      const started = performance.now();
      try {
        const r = await fn();
        this.onHandshake?.({ purpose, started, ended: performance.now(), what: describe?.(r) ?? 'done' });
        return r;
      } finally {
        if (--this.ownHandshakes === 0) this.ownHandshakesUntil = performance.now() + (Number.isFinite(this.quickest) ? this.quickest : 0);
      }
    }, this.signal);
  }

  /** Connections opened ahead for the probes (net/stock.ts): only against a far server judged to serve connections at once. */
  private stock: ConnectionStock | undefined;
  /** Whether the stock may open at all (ScanOptions.connectAhead; `scan --no-connect-ahead`). */
  connectAhead = true;
  /** Whether a probe that met a close before any answer on a stocked connection is sent again on a new one. */
  private stockRetries = true;
  /** Stocked probes asked again after a close, and how many of those were closed again (the server's way to refuse). */
  private stockRetried = 0;
  private stockClosedAgain = 0;
  /** When recent probes started (performance.now()), for how many spares to keep. */
  private readonly starts: number[] = [];

  /** Opens the stock: a far server that serves connections at once, reached directly (no proxy, no STARTTLS). */
  private startStock(): void {
    if (this.stock || this.queueing || !this.connectAhead || this.ep.proxy || this.ep.starttls) return;
    this.stock = new ConnectionStock(this.ep);
    this.refillStock();
  }

  /** Closes the stock's spares for good (the server turned out to queue connections, or the scan ends). */
  stopStock(why?: string): void {
    const s = this.stock;
    if (!s) return;
    this.stock = undefined;
    s.close();
    this.onNote?.(`connections opened ahead: ${s.opened}, used by probes ${s.used}, closed unused ${s.wasted}${why ? ` (stopped: ${why})` : s.stopped ? ` (stopped: ${s.stopped})` : ''}`
      + (this.stockRetried ? `; ${this.stockRetried} probes closed before any answer on one were sent again, ${this.stockClosedAgain} closed again` : ''));
  }

  /**
   * Keeps as many spares as probes started within the last round trip (the
   * next round is about as large as the last), and no more than the pool
   * lets probes be in flight: `--concurrency` bounds the probes in flight
   * and, apart, the connections waiting for them.
   */
  private refillStock(): void {
    const s = this.stock;
    if (!s) return;
    if (s.stopped) { this.stopStock(); return; }
    const now = performance.now();
    const horizon = Number.isFinite(this.quickest) ? this.quickest : 100;
    while (this.starts.length && now - this.starts[0]! > horizon) this.starts.shift();
    const want = Math.min(this.starts.length, this.pool.limit, STOCK_MAX);
    s.fill(want);
  }

  /** A probe ran on a spare: a close before any answer there was asked again; twice closed again, such closes are the server's refusals. */
  private noteStocked(retried: boolean, outcome: ProbeOutcome): void {
    if (!retried) return;
    this.stockRetried++;
    if (silentClose(outcome) && ++this.stockClosedAgain >= 2) this.stockRetries = false;
  }

  error(stage: string, message: string, code?: string, evidence?: ScanError['evidence']): void {
    if (!this.errors.some((e) => e.stage === stage && e.message === message)) this.errors.push({ stage, message, code, ...(evidence ? { evidence } : {}) });
  }
}

/**
 * Against a server that queues connections: connections in flight, and the
 * least time between two connection starts. A server that takes one
 * connection at a time accepts the next only when it is done with the
 * current one, so every connection in flight waits in its listen queue; a
 * queue longer than its backlog (gnutls-serv: 10) loses SYNs, each retried
 * only after a second. So the window stays within a common backlog: with 16
 * or 24, one scan in five of the 3des bench server at 50 ms lost a second;
 * with 10, none in 30 (12 and 8 were slower). Spaced starts keep the bursts
 * gentle. (A server with a backlog under 10, such as Python's socketserver
 * with 5, can still lose SYNs: the pool then halves its window.)
 */
const QUEUEING_WINDOW = 10;
/**
 * The window against a server that queues connections when probes end with
 * a pipelined close and its handshakes take at most QUICK_HANDSHAKE_MS. A
 * probe then holds the server only for its own handshake, no longer than
 * the pace between starts, so the listen queue does not grow with the
 * window. (Round 1 measured 0.5-2 ms a handshake on the 3des bench server,
 * whose scan at 50 ms went from 0.73 s to 0.52 s with this window; with its
 * key made 4096-bit, 6.5-7 ms: that server overflowed its backlog with 24
 * connections 1 ms apart in every scan, and is fastest with 10.)
 */
const QUICK_WINDOW = 24;
const QUICK_HANDSHAKE_MS = 3;
const QUEUEING_PACE_MS = 2;
/**
 * Pipelined retries of a pipelined probe closed without an answer, before a
 * plain one. A relay can lose a flight that the server closed right behind
 * (the Node.js latency proxy of the benchmarks: about one probe in twenty-
 * five on the 3des bench server, whose answer and close reach it in the
 * same millisecond, where its timers can run out of order): two in a row
 * happened in about one scan in ten, and the plain retry then held that
 * server for a round trip and narrowed the window; three in a row are rare.
 * A server that refuses by closing costs one probe more per refusal until
 * SILENT_REFUSALS_MAX stops the pipelined closes.
 */
const PIPELINED_RETRIES = 2;
/** Silent plain retries after which pipelined closes stop: the server closes silently to refuse. */
const SILENT_REFUSALS_MAX = 3;
/**
 * A server whose quickest round-1 answer came within NEAR_MS gets at most
 * NEAR_WINDOW probes in flight. (Round 1 runs cold: on loopback its quickest
 * answer takes 7-13 ms, against about 1 ms later on.)
 */
const NEAR_MS = 25;
const NEAR_WINDOW = 8;
/** Probes in a row that time out with no sign of life from the server before its liveness is asked (noteLife). */
const STALL_SILENT = 3;
/** Late answers after round 1 that make a far server judged concurrent a queueing one. */
const LATE_ANSWERS_MAX = 8;
/** Answers after round 1 under 1/FASTER_FACTOR of its quickest, FASTER_ANSWERS of them: the server is judged again (noteFaster). */
const FASTER_FACTOR = 3;
const FASTER_ANSWERS = 3;

/**
 * Probes that jump the queue: order checks come in short chains where each
 * step waits for the last, and so do the enumeration's sets after its first
 * ones (what is left of a set once the server picked from it), while the
 * first sets and the checks beside are independent of one another; letting
 * a chain wait behind them costs a round trip per step (3des bench server at
 * 50 ms: a step waited 20-30 ms behind the checks).
 */
const URGENT = /^(order:|groups:order|ciphers:next)/;
/**
 * Probes that wait behind all others: pairs asked on a guess, before the
 * server is known to have an order and before its suites are all found
 * (the enumeration they would hold up is what the order waits for).
 */
const SPARE = /^pairs:/;

/**
 * Probes that cost a server far more than a handshake: the DH and RFC 7919 ones make it compute
 * a finite-field key (ffdhe8192: gnutls-serv 40-190 ms a probe). Against a server that serves one
 * connection at a time, at most QUEUEING_WINDOW probes are in flight while one waits or runs
 * (HostPool.heavyLimit): with the window of 24 its listen backlog overflowed behind them.
 */
const HEAVY = /^(dh|groups:ffdhe)(\(|$)/;

/**
 * A DH group this large or larger makes every DHE handshake heavy (ScanContext.heavyDhe): a
 * probe's pick of a DHE suite then costs the server such a key (gnutls-serv with ffdhe8192 as its
 * only group, 11 ms away: the order's pairs that it answered with a DHE suite let 24 probes queue
 * behind it, SYNs beyond its backlog waited a second, 1.6 s scans; found by a differential
 * campaign through the latency proxy at 22 ms).
 */
export const HEAVY_DH_BITS = 6144;

/**
 * Whether a probe's ClientHello (TLS records, the hello in the first) offers a finite-field DHE
 * suite. An SSLv2 hello, or bytes too short to hold the suite list, do not.
 */
export function offersDhe(hello: Uint8Array): boolean {
  // record header (5), handshake header (4), client_version (2), random (32), session id (1 + n)
  let p = 5 + 4 + 2 + 32;
  if (hello[0] !== 0x16 || hello.length < p + 1) return false;
  p += 1 + hello[p]!;
  if (p + 2 > hello.length) return false;
  const end = Math.min(p + 2 + ((hello[p]! << 8) | hello[p + 1]!), hello.length);
  for (let i = p + 2; i + 1 < end; i += 2) {
    if (suiteByCode((hello[i]! << 8) | hello[i + 1]!)?.kx === 'DHE') return true;
  }
  return false;
}

/**
 * Where a probe waits, from its purpose. A retry (of a probe closed without
 * an answer) jumps the queue as order checks do, unless it asks a guess: its
 * question has already waited a round trip, and what waits for its answer
 * waits with it.
 */
function priorityOf(purpose: string): Priority {
  if (SPARE.test(purpose)) return 'spare';
  return URGENT.test(purpose) || /\((plain )?retry\)$/.test(purpose) ? 'urgent' : 'normal';
}

/** One probe as it happened: times are performance.now() milliseconds. */
export interface ProbeTrace {
  purpose: string;
  started: number;
  ended: number;
  pipelineClose: boolean;
  outcome: ProbeOutcome;
}

/** A full handshake of a check's own (ScanContext.ownHandshake), and what it came to. */
export interface HandshakeTrace {
  purpose: string;
  started: number;
  ended: number;
  what: string;
}

export function formatHandshakeTrace(h: HandshakeTrace, origin: number): string {
  return `${(h.started - origin).toFixed(0).padStart(6)} ${(h.ended - origin).toFixed(0).padStart(6)} ms  ${h.purpose} (full handshake): ${h.what}`;
}

/** A TLS record's first byte (a handshake record): what every hello but SSLv2's starts with. */
const TLS_HANDSHAKE_RECORD = 0x16;
/** Failures that mean no answer at all (not the server's "no"). */
const UNANSWERED: string[] = ['timeout', 'refused', 'unreachable'];
/** Times a probe dropped beside others is asked again (uncrowded). */
const CROWD_RETRIES = 5;
/** Failures that come after the TCP connection was accepted. */
const CONNECTED = new Set<string>(['reset', 'closed', 'malformed', 'starttls']);
/** The pause before each probe of uncrowded's tests alone, by round. */
const ALONE_PAUSES_MS = [30, 100, 300];

/** Waits `ms`; false when the signal ended the wait. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const t = setTimeout(() => { signal.removeEventListener('abort', stop); resolve(true); }, ms);
    const stop = () => { clearTimeout(t); resolve(false); };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** Closed or reset before the server sent a byte, or refused its connection. */
function dropped(o: ProbeOutcome): boolean {
  return silentClose(o) || (o.kind === 'failed' && o.code === 'refused');
}

export { silentClose };

/** One line of --trace: start and end (ms since `origin`), purpose, and what came back. */
export function formatProbeTrace(p: ProbeTrace, origin: number): string {
  const o = p.outcome;
  const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
  let what: string;
  switch (o.kind) {
    case 'hello':
      what = `${o.serverHello.isHelloRetryRequest ? 'HelloRetryRequest' : 'ServerHello'} ${hex(o.serverHello.version)} suite ${hex(o.serverHello.cipherSuite)}`
        + (o.serverHello.selectedGroup !== undefined ? ` group ${hex(o.serverHello.selectedGroup)}` : '');
      break;
    case 'sslv2': what = `SSLv2 SERVER-HELLO (${o.hello.cipherKinds.length} kinds)`; break;
    case 'alert': what = `alert ${o.name}`; break;
    case 'failed': what = `${o.code}: ${o.message}`; break;
  }
  return `${(p.started - origin).toFixed(0).padStart(6)} ${(p.ended - origin).toFixed(0).padStart(6)} ms  ${p.purpose}${p.pipelineClose ? '' : ' (plain)'}: ${what}`;
}

/** The most connections the stock keeps waiting (net/stock.ts). */
const STOCK_MAX = 48;
/** Round 1's answers must all come in within this many times the quickest (plus 5 ms) for the stock to open. */
const STOCK_SPREAD = 1.25;
/** Round 1's answers later than this many times the quickest (plus 5 ms) were held back by a server that takes one connection at a time, */
const LATE_FACTOR = 1.5;
/** and this many, to confirm an early verdict (judgeEarly). */
const EARLY_LATE_FACTOR = 1.3;
