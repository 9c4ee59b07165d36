//! The HTTP-POST binding: an HTML page whose form posts `SAMLResponse` (or `SAMLRequest`) and
//! `RelayState` to the service provider.

use crate::error::{Error, UsageError, XmlError};
use crate::xml::escape::{Context, escape_into};

/// How the page submits itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Script {
    /// A small inline script submits the form on load (default).
    #[default]
    Inline,
    /// The inline script carries this `nonce`, for pages served with a strict
    /// `Content-Security-Policy: script-src 'nonce-…'`.
    Nonce(String),
    /// No script at all: the user presses the button (works under any CSP).
    None,
}

/// An auto-submitting HTTP-POST form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostForm {
    action: String,
    field: &'static str,
    message: String,
    relay_state: Option<String>,
    script: Script,
}

impl PostForm {
    /// A form posting `SAMLResponse` (base64 XML) to the SP's ACS URL `action`.
    pub fn response(action: &str, saml_response_base64: &str) -> Self {
        Self::new(action, "SAMLResponse", saml_response_base64)
    }

    /// A form posting `SAMLRequest` (base64 XML) to `action`.
    pub fn request(action: &str, saml_request_base64: &str) -> Self {
        Self::new(action, "SAMLRequest", saml_request_base64)
    }

    fn new(action: &str, field: &'static str, message: &str) -> Self {
        Self {
            action: action.to_owned(),
            field,
            message: message.to_owned(),
            relay_state: None,
            script: Script::Inline,
        }
    }

    /// Adds `RelayState`.
    pub fn relay_state(mut self, relay_state: impl Into<String>) -> Self {
        self.relay_state = Some(relay_state.into());
        self
    }

    /// Chooses how the page submits itself.
    pub fn script(mut self, script: Script) -> Self {
        self.script = script;
        self
    }

    /// The HTML page. Every value is HTML-escaped; a `<noscript>` button covers browsers without
    /// script.
    ///
    /// The action must be an absolute http(s) URL: escaping cannot make `javascript:` harmless.
    pub fn html(&self) -> Result<String, Error> {
        crate::uri::check_url("form action", &self.action)
            .map_err(|e| UsageError::InvalidArgument { what: "form action", message: e.to_string() })?;
        let mut out = String::with_capacity(self.message.len() + 1024);
        let attr = |out: &mut String, value: &str, what: &str| -> Result<(), Error> {
            escape_into(out, value, Context::HtmlAttribute).map_err(|c| {
                Error::from(XmlError::InvalidCharacter { context: format!("HTML form {what}"), codepoint: c as u32 })
            })
        };
        out.push_str("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Signing in…</title></head><body>\n");
        out.push_str("<form method=\"post\" action=\"");
        attr(&mut out, &self.action, "action")?;
        out.push_str("\">\n<input type=\"hidden\" name=\"");
        out.push_str(self.field);
        out.push_str("\" value=\"");
        attr(&mut out, &self.message, self.field)?;
        out.push_str("\">\n");
        if let Some(relay_state) = &self.relay_state {
            out.push_str("<input type=\"hidden\" name=\"RelayState\" value=\"");
            attr(&mut out, relay_state, "RelayState")?;
            out.push_str("\">\n");
        }
        match self.script {
            Script::None => out.push_str("<button type=\"submit\">Continue</button>\n</form>\n"),
            _ => out.push_str("<noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n"),
        }
        match &self.script {
            Script::Inline => out.push_str("<script>document.forms[0].submit();</script>\n"),
            Script::Nonce(nonce) => {
                out.push_str("<script nonce=\"");
                attr(&mut out, nonce, "script nonce")?;
                out.push_str("\">document.forms[0].submit();</script>\n");
            }
            Script::None => {}
        }
        out.push_str("</body></html>\n");
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_escaped() {
        let html = PostForm::response("https://sp.example/acs?a=1&b=\"2\"", "PHN4Lz4=")
            .relay_state("<script>alert('x')</script>")
            .html()
            .unwrap();
        assert!(html.contains("action=\"https://sp.example/acs?a=1&amp;b=&quot;2&quot;\""), "{html}");
        assert!(html.contains("value=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\""), "{html}");
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("name=\"SAMLResponse\" value=\"PHN4Lz4=\""));
        assert!(html.contains("<noscript><button type=\"submit\">Continue</button></noscript>"));
        assert!(html.contains("<script>document.forms[0].submit();</script>"));
    }

    #[test]
    fn nonce_and_no_script() {
        let html =
            PostForm::request("https://idp.example/sso", "eA==").script(Script::Nonce("n\"1".into())).html().unwrap();
        assert!(html.contains("<script nonce=\"n&quot;1\">"), "{html}");
        assert!(html.contains("name=\"SAMLRequest\""));
        let html = PostForm::request("https://idp.example/sso", "eA==").script(Script::None).html().unwrap();
        assert!(!html.contains("<script") && !html.contains("<noscript>"));
        assert!(html.contains("<button type=\"submit\">Continue</button>"));
    }

    #[test]
    fn only_http_actions_are_accepted() {
        for bad in ["javascript:alert(1)", "data:text/html,x", "//evil.example/acs", "acs"] {
            let e = PostForm::response(bad, "x").html().unwrap_err();
            assert!(e.to_string().contains("form action"), "{bad}: {e}");
        }
    }

    #[test]
    fn characters_html_cannot_carry_are_errors() {
        let e = PostForm::response("https://sp.example/acs", "x").relay_state("\u{0}").html().unwrap_err();
        assert!(e.to_string().contains("RelayState"), "{e}");
    }
}
