//! `samlkit decode`: any SAML message as it travels (a POST value, a Redirect URL or query, or
//! XML), shown as indented XML and a summary.

use crate::input::{certificate, read, shown, write_out};
use crate::{Exit, Outcome};
use base64::Engine as _;
use samlkit::binding::redirect::{self, MessageKind, RedirectLimits};
use samlkit::low_level::{Document, NodeId, ns, verify_enveloped};
use samlkit::validate::ParseLimits;
use samlkit::{Certificate, TrustPolicy};
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::PathBuf;

/// Decode a SAML message and summarize it: message type, IDs, issuer, times, audience, which
/// elements carry signatures with which algorithms, and certificate fingerprints.
///
/// No trust decision is made unless --cert is given: then each signature is checked against it.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  samlkit decode response.b64
  samlkit decode 'https://idp.example/sso?SAMLRequest=fZFN...&RelayState=x'
  pbpaste | samlkit decode --cert idp.pem -")]
pub struct Args {
    /// A file, - for stdin, or a Redirect URL (http:// or https://).
    #[arg(value_name = "FILE|-|URL")]
    input: String,
    /// Check each signature against this certificate (PEM or DER); repeatable.
    #[arg(long, value_name = "FILE")]
    cert: Vec<PathBuf>,
    /// Print only the summary, not the XML.
    #[arg(long)]
    summary: bool,
}

pub fn run(args: Args) -> Outcome {
    let (how, xml) = message(&args.input)?;
    let doc = Document::parse(&xml, &ParseLimits::default())?;
    let mut trust = Vec::new();
    for path in &args.cert {
        trust.push(certificate(path)?);
    }
    let mut out = String::new();
    if !args.summary {
        out.push_str(&indented(&xml)?);
        out.push_str("\n\n");
    }
    out.push_str(&summary(&doc, how, &trust));
    write_out(None, &out)
}

/// The XML of the input, and how it travelled.
fn message(input: &str) -> Result<(&'static str, String), Exit> {
    let text = if input.starts_with("http://") || input.starts_with("https://") {
        input.to_owned()
    } else {
        let bytes = read(std::path::Path::new(input))?;
        String::from_utf8(bytes).map_err(|_| Exit::Usage(format!("{} is not UTF-8 text", shown(input.as_ref()))))?
    };
    let text = text.trim().trim_start_matches('\u{feff}');
    if text.starts_with('<') {
        return Ok(("XML", text.to_owned()));
    }
    // A URL or a query: the Redirect binding (DEFLATE), or a POST form body.
    let query = text.split_once('?').map_or(text, |(_, q)| q);
    for (parameter, kind) in [("SAMLRequest=", MessageKind::Request), ("SAMLResponse=", MessageKind::Response)] {
        if query.starts_with(parameter) || query.contains(&format!("&{parameter}")) {
            let limits = RedirectLimits::default();
            if let Ok(m) = redirect::decode(query, kind, &TrustPolicy::default(), &limits) {
                return Ok(("HTTP-Redirect (DEFLATE, query signature not checked)", m.xml));
            }
            let value = form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| format!("{k}=") == parameter)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            return Ok(("HTTP-POST form", from_base64(&value)?));
        }
    }
    Ok(("base64", from_base64(text)?))
}

/// A base64 value: plain XML (HTTP-POST) or DEFLATEd XML (an HTTP-Redirect value on its own).
fn from_base64(value: &str) -> Result<String, Exit> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| Exit::Usage("the input is neither XML, a Redirect URL or query, nor base64".into()))?;
    if let Ok(text) = std::str::from_utf8(&bytes)
        && text.trim_start().starts_with('<')
    {
        return Ok(text.to_owned());
    }
    let mut inflated = String::new();
    flate2::read::DeflateDecoder::new(&bytes[..])
        .take(RedirectLimits::default().max_inflated as u64)
        .read_to_string(&mut inflated)
        .map_err(|_| Exit::Usage("the base64 holds neither XML nor DEFLATEd XML".into()))?;
    Ok(inflated)
}

/// The XML indented two spaces an element (for reading only: text is trimmed).
fn indented(xml: &str) -> Result<String, Exit> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    loop {
        match reader.read_event().map_err(|e| Exit::Usage(format!("xml: {e}")))? {
            quick_xml::events::Event::Eof => break,
            event => writer.write_event(event).map_err(|e| Exit::Usage(format!("xml: {e}")))?,
        }
    }
    Ok(String::from_utf8_lossy(&writer.into_inner()).into_owned())
}

fn summary(doc: &Document, how: &str, trust: &[Certificate]) -> String {
    let mut out = String::new();
    let root = doc.root();
    let name = |id: NodeId| doc.element(id).map_or("", |e| e.local_name());
    let attr = |id: NodeId, name: &str| doc.element(id).and_then(|e| e.attribute(None, name)).map(str::to_owned);
    let child_text = |id: NodeId, namespace: &str, local: &str| {
        doc.children_named(id, namespace, local).next().map(|c| doc.text_content(c).trim().to_owned())
    };
    let _ = writeln!(out, "message:      {} ({how})", name(root));
    for key in ["ID", "InResponseTo", "IssueInstant", "Destination"] {
        if let Some(v) = attr(root, key) {
            let _ = writeln!(out, "{:<13} {v}", format!("{key}:"));
        }
    }
    if let Some(issuer) = child_text(root, ns::SAML, "Issuer") {
        let _ = writeln!(out, "Issuer:       {issuer}");
    }
    if let Some(status) = doc.children_named(root, ns::SAMLP, "Status").next() {
        let codes: Vec<String> = doc
            .descendants(status)
            .filter(|&n| doc.element(n).is_some_and(|e| e.is(ns::SAMLP, "StatusCode")))
            .filter_map(|n| attr(n, "Value"))
            .collect();
        let _ = writeln!(out, "Status:       {}", codes.join(" / "));
    }
    for (id, _) in doc.elements().filter(|(_, e)| e.is(ns::SAML, "Assertion")) {
        let _ = writeln!(out, "Assertion:    {}", attr(id, "ID").unwrap_or_default());
        if let Some(subject) = doc.children_named(id, ns::SAML, "Subject").next() {
            if let Some(name_id) = doc.children_named(subject, ns::SAML, "NameID").next() {
                let format = attr(name_id, "Format").unwrap_or_else(|| "no Format".into());
                let _ = writeln!(out, "  NameID:     {} ({format})", doc.text_content(name_id).trim());
            }
            for data in doc
                .descendants(subject)
                .filter(|&n| doc.element(n).is_some_and(|e| e.is(ns::SAML, "SubjectConfirmationData")))
            {
                for key in ["Recipient", "InResponseTo", "NotOnOrAfter"] {
                    if let Some(v) = attr(data, key) {
                        let _ = writeln!(out, "  {:<11} {v}", format!("{key}:"));
                    }
                }
            }
        }
        if let Some(conditions) = doc.children_named(id, ns::SAML, "Conditions").next() {
            for key in ["NotBefore", "NotOnOrAfter"] {
                if let Some(v) = attr(conditions, key) {
                    let _ = writeln!(out, "  {:<11} {v}", format!("{key}:"));
                }
            }
            for audience in
                doc.descendants(conditions).filter(|&n| doc.element(n).is_some_and(|e| e.is(ns::SAML, "Audience")))
            {
                let _ = writeln!(out, "  Audience:   {}", doc.text_content(audience).trim());
            }
        }
    }
    if doc.elements().any(|(_, e)| e.is(ns::SAML, "EncryptedAssertion")) {
        let _ = writeln!(out, "EncryptedAssertion: present (samlkit verify --decrypt-key reads it)");
    }
    let signatures: Vec<NodeId> =
        doc.elements().filter(|(_, e)| e.is(ns::DSIG, "Signature")).map(|(id, _)| id).collect();
    if signatures.is_empty() {
        let _ = writeln!(out, "signatures:   none");
    }
    let policy = TrustPolicy::new(trust.to_vec()).insecure_allow_sha1().insecure_allow_rsa_1024();
    for signature in signatures {
        let Some(parent) = doc.parent(signature).filter(|&p| doc.element(p).is_some()) else { continue };
        let algorithm = |local: &str| {
            doc.descendants(signature)
                .find(|&n| doc.element(n).is_some_and(|e| e.is(ns::DSIG, local)))
                .and_then(|n| attr(n, "Algorithm"))
                .unwrap_or_else(|| "?".into())
        };
        let _ = writeln!(
            out,
            "signature on {} {}: {} / {}",
            name(parent),
            attr(parent, "ID").unwrap_or_default(),
            algorithm("SignatureMethod"),
            algorithm("DigestMethod")
        );
        for x509 in
            doc.descendants(signature).filter(|&n| doc.element(n).is_some_and(|e| e.is(ns::DSIG, "X509Certificate")))
        {
            match Certificate::from_base64(&doc.text_content(x509)) {
                Ok(c) => {
                    let _ = writeln!(
                        out,
                        "  certificate: SHA-256 {} ({}, until {})",
                        crate::input::fingerprint(&c),
                        c.subject(),
                        c.not_after().format("%Y-%m-%d")
                    );
                }
                Err(e) => {
                    let _ = writeln!(out, "  certificate: unreadable ({e})");
                }
            }
        }
        if !trust.is_empty() {
            let element =
                ["Response", "Assertion", "AuthnRequest", "LogoutRequest", "LogoutResponse", "EntityDescriptor"]
                    .into_iter()
                    .find(|n| *n == name(parent))
                    .unwrap_or("element");
            let verdict = match verify_enveloped(doc, parent, element, &policy, &ParseLimits::default()) {
                Ok(Some(v)) => format!("valid, by --cert #{}", v.certificate + 1),
                Ok(None) => "no signature".into(),
                Err(e) => format!("INVALID: {e}"),
            };
            let _ = writeln!(out, "  check:       {verdict}");
        }
    }
    out
}
