package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/server"
	"github.com/lpm-project/lpm/internal/testenv"
)

// selfSigned writes a certificate for 127.0.0.1 and its key to PEM files and
// returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "lpm test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestServeTLS(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	certFile, keyFile, pool := selfSigned(t)
	addr := listen(t, server.Config{Store: st, TLSCertFile: certFile, TLSKeyFile: keyFile})

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(client.CloseIdleConnections)
	res, err := client.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz over TLS: %d", res.StatusCode)
	}
	if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("Strict-Transport-Security %q over TLS", got)
	}
	// Plain HTTP to the TLS port gets no page.
	if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			t.Errorf("plain HTTP to the TLS port was served")
		}
	}
}

func TestTLSNeedsCertAndKey(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	certFile, keyFile, _ := selfSigned(t)
	if _, err := server.New(server.Config{Store: st, TLSCertFile: certFile}); err == nil {
		t.Error("a certificate without a key was accepted")
	}
	if _, err := server.New(server.Config{Store: st, TLSKeyFile: keyFile}); err == nil {
		t.Error("a key without a certificate was accepted")
	}
	// A key that does not exist, or does not match, fails at once.
	for _, key := range []string{keyFile + ".missing", certFile} {
		_, err := server.New(server.Config{Store: st, TLSCertFile: certFile, TLSKeyFile: key})
		if err == nil || !strings.Contains(err.Error(), "load the TLS certificate") {
			t.Errorf("key %s: error %v, want a load error", key, err)
		}
	}
}
