// SSH session: reads each direction's identification line (the server may send other lines first), then ignores the
// encrypted rest of the flow.
import type { Direction, ProtocolSession, SessionContext } from '../protocol.js';
import { SSH_ANOMALIES } from './anomalies.js';
import { bannerHint, describeBanners } from './describe.js';
import { MAX_BANNER_BYTES, parseBanner, wellFormed } from './parse.js';
import type { SshBanner } from './types.js';

const A = SSH_ANOMALIES.codes;
/** Lines and bytes a server may send before its banner (RFC 4253 4.2 allows other lines first). */
export const MAX_PRE_BANNER_LINES = 16;
export const MAX_PRE_BANNER_BYTES = 4096;
const LF = 0x0a;
const CR = 0x0d;

class DirectionState {
  done = false;
  line = new Uint8Array(MAX_BANNER_BYTES);
  lineLen = 0;
  /** The current line went over MAX_BANNER_BYTES: the rest of it is skipped. */
  overflow = false;
  preLines = 0;
  preBytes = 0;
  banner: SshBanner | null = null;
  ts = 0;
}

export class SshSession implements ProtocolSession {
  private readonly dirs = [new DirectionState(), new DirectionState()];
  private emitted = false;

  constructor(private readonly ctx: SessionContext) {}

  onData(dir: Direction, data: Uint8Array, ts: number): void {
    const st = this.dirs[dir];
    for (let i = 0; i < data.length && !st.done; i++) {
      const c = data[i];
      if (c !== LF) {
        if (st.lineLen < MAX_BANNER_BYTES) st.line[st.lineLen++] = c;
        else if (!st.overflow) {
          st.overflow = true;
          if (this.looksLikeBanner(st)) {
            this.ctx.anomaly(A.banner_too_long);
            this.banner(st, dir, ts);
            return;
          }
        }
        if (++st.preBytes > MAX_PRE_BANNER_BYTES || (dir === 0 && st.lineLen >= 4 && !this.looksLikeBanner(st))) {
          this.fail(st);
          return;
        }
        continue;
      }
      if (st.lineLen > 0 && st.line[st.lineLen - 1] === CR) st.lineLen--;
      if (this.looksLikeBanner(st)) {
        this.banner(st, dir, ts);
        return;
      }
      st.lineLen = 0;
      st.overflow = false;
      if (dir === 0 || ++st.preLines > MAX_PRE_BANNER_LINES) {
        this.fail(st);
        return;
      }
    }
  }

  onGap(dir: Direction): void {
    const st = this.dirs[dir];
    if (st.done) return;
    this.ctx.anomaly(A.gap);
    st.done = true;
  }

  onEnd(_ts: number): void {
    this.emit();
  }

  private looksLikeBanner(st: DirectionState): boolean {
    const l = st.line;
    return st.lineLen >= 4 && l[0] === 0x53 && l[1] === 0x53 && l[2] === 0x48 && l[3] === 0x2d;
  }

  private fail(st: DirectionState): void {
    this.ctx.anomaly(A.not_ssh);
    st.done = true;
  }

  private banner(st: DirectionState, dir: Direction, ts: number): void {
    st.done = true;
    const banner = parseBanner(st.line, 0, st.lineLen);
    if (banner === null) return;
    if (!wellFormed(banner)) this.ctx.anomaly(A.bad_banner);
    st.banner = banner;
    st.ts = ts;
    const hint = bannerHint(dir === 0 ? 'client' : 'server', banner, ts);
    if (hint !== null) this.ctx.emit(hint);
    if (this.dirs[0].banner !== null && this.dirs[1].banner !== null) this.emit();
  }

  private emit(): void {
    if (this.emitted) return;
    const [c, s] = this.dirs;
    if (c.banner === null && s.banner === null) return;
    this.emitted = true;
    this.ctx.emit(describeBanners(c.banner, c.ts, s.banner, s.ts));
  }
}
