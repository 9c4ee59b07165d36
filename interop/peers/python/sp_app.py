"""A small service provider web app on python3-saml, for the browser test of `samlkit serve`.

Usage: sp_app.py IDP_METADATA_URL. It listens on a free loopback port and prints
`listening on http://127.0.0.1:PORT`. Its IdP is whatever the metadata URL describes (read on the
first request, as an SP configured against Auth0's addon reads Auth0's metadata URL).

Routes:
  GET  /login    SP-initiated login: an AuthnRequest over HTTP-Redirect, RelayState /profile; the
                 request's ID goes into a cookie so /acs can check InResponseTo
  POST /acs      the ACS: python3-saml checks the Response (strict, signed assertions, no SHA-1);
                 a page showing the NameID (#name-id), the response's InResponseTo
                 (#in-response-to), the request this browser started (#request-id) and the
                 attributes (#attributes), or the errors (#error, #reason; status 403)
  GET  /metadata the SP's metadata
The SP's entity ID is http://127.0.0.1:PORT/metadata.
"""
import html
import http.server
import sys
import urllib.parse
from http.cookies import SimpleCookie

from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

METADATA_URL = sys.argv[1]
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
state = {"settings": None, "port": None}


def settings():
    if state["settings"] is None:
        idp = OneLogin_Saml2_IdPMetadataParser.parse_remote(METADATA_URL, required_sso_binding=REDIRECT)["idp"]
        base = "http://127.0.0.1:%d" % state["port"]
        state["settings"] = {
            "strict": True,
            "debug": False,
            "sp": {
                "entityId": base + "/metadata",
                "assertionConsumerService": {"url": base + "/acs", "binding": POST},
                "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            },
            "idp": idp,
            "security": {
                "wantAssertionsSigned": True,
                "wantMessagesSigned": False,
                "rejectDeprecatedAlgorithm": True,
                "requestedAuthnContext": False,
            },
        }
    return state["settings"]


def page(title, body):
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>%s</title></head><body>%s</body></html>"
            % (html.escape(title), body)).encode("utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write("sp_app: " + (format % args) + "\n")

    def request_data(self, post_data=None):
        url = urllib.parse.urlsplit(self.path)
        return {
            "https": "off",
            "http_host": "127.0.0.1",
            "server_port": str(state["port"]),
            "script_name": url.path,
            "get_data": dict(urllib.parse.parse_qsl(url.query)),
            "post_data": post_data or {},
        }

    def send(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/login":
            auth = OneLogin_Saml2_Auth(self.request_data(), settings())
            url = auth.login(return_to="/profile")
            cookie = "sp_request=%s; Path=/; HttpOnly; SameSite=Lax" % auth.get_last_request_id()
            self.send(302, b"", [("Location", url), ("Set-Cookie", cookie)])
        elif path == "/metadata":
            auth = OneLogin_Saml2_Auth(self.request_data(), settings())
            body = auth.get_settings().get_sp_metadata()
            self.send(200, body if isinstance(body, bytes) else body.encode("utf-8"))
        else:
            self.send(404, page("Not found", "<p id='error'>not found</p>"))

    def do_POST(self):
        if urllib.parse.urlsplit(self.path).path != "/acs":
            self.send(404, page("Not found", "<p id='error'>not found</p>"))
            return
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("ascii")))
        cookies = SimpleCookie(self.headers.get("Cookie", ""))
        request_id = cookies["sp_request"].value if "sp_request" in cookies else None
        auth = OneLogin_Saml2_Auth(self.request_data(form), settings())
        try:
            auth.process_response(request_id=request_id)
            errors = auth.get_errors()
            reason = auth.get_last_error_reason()
        except Exception as e:  # a hostile document may make python3-saml raise: that is a refusal
            errors, reason = ["exception"], "%s: %s" % (type(e).__name__, e)
        clear = ("Set-Cookie", "sp_request=; Path=/; Max-Age=0")
        if errors or not auth.is_authenticated():
            body = "<h1>Login refused</h1><p id='error'>%s</p><p id='reason'>%s</p>" % (
                html.escape(", ".join(errors)), html.escape(str(reason)))
            self.send(403, page("Refused", body), [clear])
            return
        items = "".join(
            "<li data-name='%s'>%s</li>" % (html.escape(name, quote=True), html.escape(", ".join(values)))
            for name, values in sorted(auth.get_attributes().items()))
        body = ("<h1>Signed in</h1><dl><dt>NameID</dt><dd id='name-id'>%s</dd>"
                "<dt>InResponseTo (the response's)</dt><dd id='in-response-to'>%s</dd>"
                "<dt>The request this browser started</dt><dd id='request-id'>%s</dd>"
                "<dt>RelayState</dt><dd id='relay-state'>%s</dd></dl><ul id='attributes'>%s</ul>") % (
            html.escape(auth.get_nameid() or ""), html.escape(auth.get_last_response_in_response_to() or "(unsolicited)"),
            html.escape(request_id or "(none)"), html.escape(form.get("RelayState", "")), items)
        self.send(200, page("Signed in", body), [clear])


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
state["port"] = server.server_address[1]
print("listening on http://127.0.0.1:%d" % state["port"], flush=True)
server.serve_forever()
