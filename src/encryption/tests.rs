//! Unit tests of content encryption, padding and key transport.
use super::algorithms::Oaep;
use super::decrypt::decrypt_content;
use super::encrypt::{encrypt_content, random_bytes};
use super::*;
use cbc::cipher::{BlockModeEncrypt as _, KeyIvInit as _, block_padding::NoPadding};

#[test]
fn content_round_trip_and_uniform_failure() {
    for alg in ContentAlgorithm::ALL {
        let key = random_bytes(alg.key_len()).unwrap();
        for len in [0, 1, 15, 16, 17, 100] {
            let plain = vec![b'x'; len];
            let c = encrypt_content(alg, &key, &plain).unwrap();
            assert_eq!(decrypt_content(alg, &key, &c).unwrap().as_slice(), plain.as_slice(), "{alg} {len}");
            let mut bad = c.clone();
            let last = bad.len() - 1;
            bad[last] ^= 1;
            if !alg.is_cbc() {
                assert!(decrypt_content(alg, &key, &bad).is_none());
            }
            assert!(decrypt_content(alg, &key, &c[..c.len() - 1]).is_none());
            let other = random_bytes(alg.key_len()).unwrap();
            if !alg.is_cbc() {
                assert!(decrypt_content(alg, &other, &c).is_none());
            }
        }
    }
}

#[test]
fn cbc_padding_length_checked() {
    let key = [7u8; 16];
    let iv = [1u8; 16];
    // A block whose last byte decrypts to 0, then to 17: both refused.
    for last in [0u8, 17, 255] {
        let mut block = [b'a'; 16];
        block[15] = last;
        let mut buf = block.to_vec();
        cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv)
            .unwrap()
            .encrypt_padded::<NoPadding>(&mut buf, 16)
            .unwrap();
        let mut data = iv.to_vec();
        data.extend_from_slice(&buf);
        assert!(decrypt_content(ContentAlgorithm::Aes128Cbc, &key, &data).is_none(), "{last}");
    }
}

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// With `aws-lc-rs`, AWS-LC unwraps the matched digest pairs: it must agree with the `rsa`
/// crate, and every OAEP parameter mismatch must fail.
#[test]
fn rsa_oaep_unwrap_agrees_across_backends_and_parameters() {
    let sp = DecryptionKey::from_pem_or_der(&data("keys/other-2048.pkcs8.pem")).unwrap();
    let enc = Encryption::new(EncryptionKey::from_pem_or_der(&data("keys/other-2048.cert.pem")).unwrap());
    let key = [9u8; 32];
    let public = sp.public().clone();
    let rng = &mut getrandom::SysRng;
    let wrapped = [
        (Oaep::Sha1Mgf1Sha1, enc.clone().key_transport(KeyTransport::RsaOaepMgf1p).wrap_key(&key).unwrap()),
        (Oaep::Sha256Mgf1Sha256, enc.clone().key_transport(KeyTransport::RsaOaepSha256).wrap_key(&key).unwrap()),
        (
            Oaep::Sha256Mgf1Sha1,
            public.encrypt(rng, rsa::Oaep::<sha2::Sha256, sha1::Sha1>::new_with_mgf_hash(), &key).unwrap(),
        ),
    ];
    for (oaep, cipher) in &wrapped {
        assert_eq!(sp.unwrap_key(*oaep, cipher).unwrap().as_slice(), &key, "{oaep:?}");
        for (other, _) in &wrapped {
            if other != oaep {
                assert!(sp.unwrap_key(*other, cipher).is_none(), "{oaep:?} read as {other:?}");
            }
        }
        let rust = match oaep {
            Oaep::Sha1Mgf1Sha1 => sp.key.decrypt(rsa::Oaep::<sha1::Sha1>::new(), cipher),
            Oaep::Sha256Mgf1Sha256 => sp.key.decrypt(rsa::Oaep::<sha2::Sha256>::new(), cipher),
            Oaep::Sha256Mgf1Sha1 => sp.key.decrypt(rsa::Oaep::<sha2::Sha256, sha1::Sha1>::new_with_mgf_hash(), cipher),
        };
        assert_eq!(rust.unwrap(), key);
    }
    let other = DecryptionKey::from_pem_or_der(&data("keys/rsa-2048.pkcs8.pem")).unwrap();
    assert!(other.unwrap_key(Oaep::Sha1Mgf1Sha1, &wrapped[0].1).is_none());
}

#[test]
fn uris_round_trip() {
    for a in ContentAlgorithm::ALL {
        assert_eq!(ContentAlgorithm::from_uri(a.uri()), Some(a));
    }
    assert_eq!(ContentAlgorithm::from_uri("http://www.w3.org/2001/04/xmlenc#tripledes-cbc"), None);
}
