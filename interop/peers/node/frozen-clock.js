// The clock of a peer service provider, fixed at an instant (as freezegun does for the Python
// peers): `new Date()` and `Date.now()` give it; dates built from values are unchanged.
module.exports = function freeze(iso) {
  const fixed = Date.parse(iso);
  const Real = Date;
  class Frozen extends Real {
    constructor(...args) {
      if (args.length === 0) super(fixed);
      else super(...args);
    }
    static now() {
      return fixed;
    }
  }
  global.Date = Frozen;
};
