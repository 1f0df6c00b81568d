#!/usr/bin/env bash
# Regenerates the committed test certificates (valid for 100 years). Run from this directory.
# ca: EC P-256 test CA; other-ca: an untrusted CA; server-ec: localhost/ec.test/*.wild.test/127.0.0.1/::1;
# server-rsa: rsa.test (RSA 2048, also as PKCS#1 and PKCS#12 "changeit"); server2-ec: a second localhost
# certificate for hot-replacement tests; client: client certificate from ca; rogue-client: from other-ca.
set -euo pipefail
DAYS=36500
ca() { # name cn
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days $DAYS -subj "/CN=$2" \
    -keyout "$1.key" -out "$1.pem" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
leaf() { # name ca keyalg cn san eku
  if [ "$3" = rsa ]; then openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null
  else openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; fi
  openssl req -new -key "$1.key" -subj "/CN=$4" -out "$1.csr"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=%s\n' "$6" "$5" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -set_serial "0x$(openssl rand -hex 8)" \
    -days $DAYS -extfile "$1.ext" -out "$1.leaf" 2>/dev/null
  cat "$1.leaf" "$2.pem" > "$1.pem"
  rm "$1.csr" "$1.ext" "$1.leaf"
}
ca ca "net.proxy test CA"
ca other-ca "net.proxy untrusted CA"
leaf server-ec ca ec localhost "DNS:localhost,DNS:ec.test,DNS:*.wild.test,IP:127.0.0.1,IP:::1" serverAuth
leaf server2-ec ca ec localhost "DNS:localhost,DNS:ec.test,IP:127.0.0.1,IP:::1" serverAuth
leaf server-rsa ca rsa rsa.test "DNS:rsa.test" serverAuth
leaf client ca ec client-one "DNS:client.test" clientAuth
leaf rogue-client other-ca ec rogue "DNS:rogue.test" clientAuth
openssl ec -in server-ec.key -out server-ec-sec1.key 2>/dev/null
openssl rsa -in server-rsa.key -traditional -out server-rsa-pkcs1.key 2>/dev/null
openssl pkcs12 -export -in server-rsa.pem -inkey server-rsa.key -passout pass:changeit -name server \
  -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 -out server-rsa.p12
rm -f other-ca.key
