// The threat intel a running pipeline matches, replaceable while it runs: the server swaps in a new set when the
// analyst imports or removes a feed, and detectors already created read the new one at their next record.
import { IndicatorSet } from './indicator-set.js';

export class IntelFeed {
  constructor(private current: IndicatorSet = new IndicatorSet()) {}

  get set(): IndicatorSet {
    return this.current;
  }

  replace(set: IndicatorSet): void {
    this.current = set;
  }
}
