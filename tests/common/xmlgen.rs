//! A seeded generator of namespace-heavy XML documents (shared by the c14n tests).

/// A small deterministic PRNG (xorshift64*), so a seed names a document.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const PREFIXES: [&str; 4] = ["p", "q", "r", "s"];
// No `&` (libxml2 writes namespace URIs unescaped, see the README) and ASCII only (libxml2
// rejects non-ASCII namespace names).
const URIS: [&str; 5] = ["urn:a", "urn:b", "http://example.com/ns", "urn:x?y=z#f", "urn:e%CC%81"];
const LOCALS: [&str; 4] = ["a", "b", "Id", "\u{fc}ber"];
const VALUES: [&str; 9] = [
    "v",
    "",
    "a&amp;b&lt;c&gt;d",
    "&#xD;&#x9;&#xA;",
    "x\ty\nz",
    "&quot;q&quot; 'a'",
    "\u{65e5}\u{672c}",
    "  two  spaces ",
    "r\r\nn",
];
const TEXTS: [&str; 8] =
    ["t", " ", "\n  ", "&lt;&amp;&gt;&#xD;", "\u{e9}\u{1F600}", "<![CDATA[<c&d>]]>", "a\r\nb\rc", "&#x9;\"'"];

/// Generate a well-formed document with namespaces declared at odd places, prefixes redefined,
/// the default namespace declared and undeclared, attributes in several namespaces, comments
/// and processing instructions.
pub fn generate(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::new();
    if rng.chance(20) {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    if rng.chance(20) {
        out.push_str("<!-- before -->\n<?pi before?>\n");
    }
    let mut budget = 4 + rng.below(20);
    let mut scope: Vec<(Option<&str>, &str)> = Vec::new();
    element(&mut rng, &mut out, &mut scope, 0, &mut budget);
    if rng.chance(20) {
        out.push_str("\n<?after?><!--after-->\n");
    }
    out
}

fn lookup<'a>(scope: &[(Option<&'a str>, &'a str)], prefix: Option<&str>) -> Option<&'a str> {
    scope.iter().rev().find(|(p, _)| *p == prefix).map(|&(_, u)| u)
}

fn element<'a>(
    rng: &mut Rng,
    out: &mut String,
    scope: &mut Vec<(Option<&'a str>, &'a str)>,
    depth: usize,
    budget: &mut usize,
) {
    *budget = budget.saturating_sub(1);
    let mark = scope.len();
    let prefix = if rng.chance(40) { None } else { Some(rng.pick(&PREFIXES)) };
    let mut decls: Vec<(Option<&'a str>, &'a str)> = Vec::new();
    let declare = |p: Option<&'a str>, u: &'a str, decls: &mut Vec<(Option<&'a str>, &'a str)>| {
        if !decls.iter().any(|(q, _)| *q == p) {
            decls.push((p, u));
        }
    };
    // Random declarations, used or not.
    if rng.chance(25) {
        let uri = if rng.chance(30) { "" } else { rng.pick(&URIS) };
        declare(None, uri, &mut decls);
    }
    for p in PREFIXES {
        if rng.chance(15) {
            declare(Some(p), rng.pick(&URIS), &mut decls);
        }
    }
    // The element's own prefix must be declared.
    if let Some(p) = prefix {
        if lookup(scope, Some(p)).is_none() && !decls.iter().any(|(q, _)| *q == Some(p)) {
            declare(Some(p), rng.pick(&URIS), &mut decls);
        }
    }
    scope.extend(decls.iter().copied());
    // Attributes: no duplicates by written or expanded name.
    let mut attrs: Vec<(String, Option<&str>, String, &str)> = Vec::new();
    for _ in 0..rng.below(4) {
        let local = rng.pick(&LOCALS);
        let (qname, ns) = match rng.below(6) {
            0..=2 => (local.to_owned(), None),
            3 => (format!("xml:{}", if rng.chance(50) { "lang" } else { "space" }), Some("xml")),
            _ => {
                let p = rng.pick(&PREFIXES);
                if lookup(scope, Some(p)).is_none() {
                    let u = rng.pick(&URIS);
                    decls.push((Some(p), u));
                    scope.push((Some(p), u));
                }
                (format!("{p}:{local}"), lookup(scope, Some(p)))
            }
        };
        let local_part = qname.rsplit(':').next().unwrap_or("").to_owned();
        if attrs.iter().any(|(q, n, l, _)| *q == qname || (ns.is_some() && *n == ns && *l == local_part)) {
            continue;
        }
        attrs.push((qname, ns, local_part, rng.pick(&VALUES)));
    }
    let name = match prefix {
        Some(p) => format!("{p}:e{depth}"),
        None => format!("e{depth}"),
    };
    out.push('<');
    out.push_str(&name);
    // Declarations and attributes interleaved in a shuffled order.
    let mut pieces: Vec<String> = decls
        .iter()
        .map(|(p, u)| match p {
            None => format!("xmlns=\"{u}\""),
            Some(p) => format!("xmlns:{p}='{u}'"),
        })
        .chain(attrs.iter().map(|(q, _, _, v)| format!("{q}=\"{v}\"")))
        .collect();
    for i in (1..pieces.len()).rev() {
        pieces.swap(i, rng.below(i + 1));
    }
    for piece in pieces {
        out.push_str(if rng.chance(20) { "\n   " } else { " " });
        out.push_str(&piece);
    }
    if rng.chance(15) && *budget > 0 {
        out.push_str("/>");
        scope.truncate(mark);
        return;
    }
    out.push('>');
    let children = if depth >= 5 { 0 } else { rng.below(5) };
    for _ in 0..children {
        match rng.below(10) {
            0..=3 => {
                if *budget > 0 {
                    element(rng, out, scope, depth + 1, budget);
                }
            }
            4..=7 => out.push_str(rng.pick(&TEXTS)),
            8 => out.push_str(if rng.chance(50) { "<!-- c -->" } else { "<!--\r\n-->" }),
            _ => out.push_str(if rng.chance(50) { "<?target data here?>" } else { "<?empty?>" }),
        }
    }
    out.push_str("</");
    out.push_str(&name);
    out.push('>');
    scope.truncate(mark);
}
