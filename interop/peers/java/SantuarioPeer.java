// Apache Santuario (Debian libxml-security-java) as a third independent XML-DSig and exclusive
// c14n implementation. Compiled and run by interop/tests/interop/java.rs, one process per mode.
//
//   verify LIST RESULTS  LIST lines: name \t file \t cert.pem \t id[,id]     (the signed IDs)
//   sign   LIST RESULTS  LIST lines: name \t file \t key.pem \t cert.pem \t signatureURI \t digestURI \t id[,id] \t out
//   c14n   LIST RESULTS  LIST lines: name \t input \t apex-local-name|- \t prefixes|- \t comments(0|1) \t out
// RESULTS lines: name \t ok|fail \t error (tabs and newlines in errors replaced by spaces).
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

public class SantuarioPeer {
    static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";

    public static void main(String[] args) throws Exception {
        org.apache.xml.security.Init.init();
        List<String> lines = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
        try (PrintWriter out = new PrintWriter(args[2], StandardCharsets.UTF_8)) {
            for (String line : lines) {
                if (line.isEmpty()) continue;
                String[] f = line.split("\t", -1);
                String error = null;
                try {
                    switch (args[0]) {
                        case "verify": verify(f); break;
                        case "sign": sign(f); break;
                        case "c14n": c14n(f); break;
                        default: throw new IllegalArgumentException(args[0]);
                    }
                } catch (Throwable e) {
                    error = (e.getClass().getSimpleName() + ": " + e.getMessage()).replaceAll("[\\t\\r\\n]", " ");
                }
                out.println(f[0] + "\t" + (error == null ? "ok" : "fail") + "\t" + (error == null ? "" : error));
            }
        }
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        DocumentBuilder db = dbf.newDocumentBuilder();
        Document doc = db.parse(new ByteArrayInputStream(xml));
        // The SAML ID attributes are xs:ID by schema; without a schema, say so.
        for (String[] t : new String[][] {{SAML, "Assertion"}, {SAMLP, "Response"}}) {
            NodeList nl = doc.getElementsByTagNameNS(t[0], t[1]);
            for (int i = 0; i < nl.getLength(); i++) ((Element) nl.item(i)).setIdAttributeNS(null, "ID", true);
        }
        return doc;
    }

    static X509Certificate cert(String path) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Paths.get(path))));
    }

    static void verify(String[] f) throws Exception {
        Document doc = parse(Files.readAllBytes(Paths.get(f[1])));
        X509Certificate cert = cert(f[2]);
        String[] ids = f[3].split(",");
        NodeList sigs = doc.getElementsByTagNameNS(Constants.SignatureSpecNS, "Signature");
        if (sigs.getLength() != ids.length) throw new Exception(sigs.getLength() + " signatures, expected " + ids.length);
        for (int i = 0; i < sigs.getLength(); i++) {
            Element sigEl = (Element) sigs.item(i);
            String parentId = ((Element) sigEl.getParentNode()).getAttribute("ID");
            XMLSignature sig = new XMLSignature(sigEl, "", true); // secure validation on
            if (sig.getSignedInfo().getLength() != 1) throw new Exception("not one Reference");
            String uri = sig.getSignedInfo().item(0).getURI();
            if (!uri.equals("#" + parentId) || !List.of(ids).contains(parentId)) throw new Exception("Reference " + uri + " in " + parentId);
            if (!sig.checkSignatureValue(cert)) throw new Exception("signature of " + parentId + " does not verify");
        }
    }

    static PrivateKey key(String path) throws Exception {
        String pem = Files.readString(Paths.get(path)).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    static void sign(String[] f) throws Exception {
        Document doc = parse(Files.readAllBytes(Paths.get(f[1])));
        NodeList old = doc.getElementsByTagNameNS(Constants.SignatureSpecNS, "Signature");
        while (old.getLength() > 0) old.item(0).getParentNode().removeChild(old.item(0));
        PrivateKey key = key(f[2]);
        X509Certificate cert = cert(f[3]);
        for (String id : f[6].split(",")) { // the Assertion first, then the Response over it
            Element target = doc.getElementById(id);
            Element issuer = (Element) target.getElementsByTagNameNS(SAML, "Issuer").item(0);
            XMLSignature sig = new XMLSignature(doc, "", f[4], Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            target.insertBefore(sig.getElement(), issuer.getNextSibling());
            Transforms transforms = new Transforms(doc);
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            sig.addDocument("#" + id, transforms, f[5]);
            sig.addKeyInfo(cert);
            sig.sign(key);
        }
        try (FileOutputStream os = new FileOutputStream(f[7])) {
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(os));
        }
    }

    static void c14n(String[] f) throws Exception {
        Document doc = parse(Files.readAllBytes(Paths.get(f[1])));
        Node apex = f[2].equals("-") ? doc.getDocumentElement() : doc.getElementsByTagNameNS("*", f[2]).item(0);
        Canonicalizer c = Canonicalizer.getInstance(f[4].equals("1")
            ? Canonicalizer.ALGO_ID_C14N_EXCL_WITH_COMMENTS : Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        c.setWriter(bytes);
        byte[] result = c.canonicalizeSubtree(apex, f[3].equals("-") ? null : f[3]);
        Files.write(Paths.get(f[5]), result != null && result.length > 0 ? result : bytes.toByteArray());
    }
}
