package tns

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// maxIncludes bounds IFILE chains (and cycles).
const maxIncludes = 32

// Config is what one configuration directory says: its aliases (from
// tnsnames.ora and the files it includes) and its sqlnet.ora.
type Config struct {
	Dir     string // the directory searched
	From    string // how it was chosen: "TNS_ADMIN" or "--oracle-home"
	Files   []string
	entries map[string]entry
	Sqlnet  Sqlnet
	home    string
}

type entry struct {
	name string
	file string
	node *Node
}

// Sqlnet is the part of sqlnet.ora that changes how an alias resolves.
type Sqlnet struct {
	DefaultDomain string // NAMES.DEFAULT_DOMAIN
	WalletDir     string // WALLET_LOCATION=(SOURCE=(METHOD=FILE)(METHOD_DATA=(DIRECTORY=...)))
	ServerDNMatch *bool  // SSL_SERVER_DN_MATCH
}

// AdminDir chooses the directory an Oracle client reads: TNS_ADMIN if set,
// else ORACLE_HOME/network/admin.
func AdminDir(tnsAdmin, oracleHome string) (dir, from string, err error) {
	switch {
	case tnsAdmin != "":
		return tnsAdmin, "TNS_ADMIN", nil
	case oracleHome != "":
		return filepath.Join(oracleHome, "network", "admin"), "--oracle-home", nil
	}
	return "", "", errors.New("--oracle-tns-alias needs tnsnames.ora: set TNS_ADMIN to the directory holding it (or give --oracle-home, whose network/admin is searched)")
}

// Load reads dir/tnsnames.ora (with its IFILEs) and dir/sqlnet.ora if
// present. oracleHome expands a leading ? in paths, as Oracle does.
func Load(dir, from, oracleHome string) (*Config, error) {
	c := &Config{Dir: dir, From: from, entries: map[string]entry{}, home: oracleHome}
	tn := filepath.Join(dir, "tnsnames.ora")
	if err := c.readTnsnames(tn, map[string]bool{}, 0); err != nil {
		return nil, err
	}
	if err := c.readSqlnet(filepath.Join(dir, "sqlnet.ora")); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) readTnsnames(path string, seen map[string]bool, depth int) error {
	abs, _ := filepath.Abs(path)
	if seen[abs] {
		return nil // an IFILE cycle: each file is read once
	}
	if depth > maxIncludes {
		return fmt.Errorf("%s: more than %d nested IFILEs", path, maxIncludes)
	}
	seen[abs] = true
	params, err := c.read(path)
	if depth == 0 && errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no tnsnames.ora in %s (chosen by %s): put the alias's file there or point TNS_ADMIN at its directory", filepath.Dir(path), c.From)
	}
	if err != nil {
		return err
	}
	for _, p := range params {
		if strings.EqualFold(p.Node.Key, "IFILE") {
			inc := c.expand(p.Node.Value)
			if !filepath.IsAbs(inc) {
				inc = filepath.Join(filepath.Dir(path), inc)
			}
			if err := c.readTnsnames(inc, seen, depth+1); err != nil {
				return fmt.Errorf("IFILE on %s line %d: %w", path, p.Node.Line, err)
			}
			continue
		}
		for _, name := range p.Names {
			key := strings.ToUpper(name)
			if _, dup := c.entries[key]; dup {
				continue // the first definition wins, as for the Oracle client
			}
			c.entries[key] = entry{name: name, file: path, node: p.Node}
		}
	}
	return nil
}

// read parses one parameter file and records it among the files read.
func (c *Config) read(path string) ([]Param, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	c.Files = append(c.Files, path)
	return Parse(path, src)
}

func (c *Config) readSqlnet(path string) error {
	params, err := c.read(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, p := range params {
		switch strings.ToUpper(p.Node.Key) {
		case "NAMES.DEFAULT_DOMAIN":
			c.Sqlnet.DefaultDomain = p.Node.Value
		case "WALLET_LOCATION":
			c.Sqlnet.WalletDir = c.expand(walletDirectory(p.Node))
		case "SSL_SERVER_DN_MATCH":
			v := isTrue(p.Node.Value)
			c.Sqlnet.ServerDNMatch = &v
		}
	}
	return nil
}

// expand replaces a leading ? (Oracle's shorthand for ORACLE_HOME).
func (c *Config) expand(p string) string {
	if c.home != "" && (p == "?" || strings.HasPrefix(p, "?/") || strings.HasPrefix(p, `?\`)) {
		return filepath.Join(c.home, p[1:])
	}
	return p
}

// walletDirectory reads a WALLET_LOCATION value: (SOURCE=(METHOD=FILE)
// (METHOD_DATA=(DIRECTORY=...))), or a bare directory.
func walletDirectory(n *Node) string {
	if d := n.Find("DIRECTORY"); len(d) > 0 {
		return d[0].Value
	}
	return n.Value
}

func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "yes", "true", "on", "1":
		return true
	}
	return false
}

// Address is one listener address of a descriptor.
type Address struct {
	Protocol string
	Host     string
	Port     int
}

func (a Address) String() string { return a.Host + ":" + strconv.Itoa(a.Port) }

// Descriptor is an alias resolved: the connect descriptor to hand to the
// driver and what it says about where and how to connect.
type Descriptor struct {
	Alias       string
	File        string // the file that defines it
	Line        int
	Text        string // (DESCRIPTION=...) on one line
	Addresses   []Address
	ServiceName string
	SID         string
	Failover    bool // try the addresses in order (Oracle's default for a list)
	LoadBalance bool
	TCPS        bool   // at least one address uses TLS
	ServerDN    string // SECURITY=(SSL_SERVER_CERT_DN=...)
	WalletDir   string // the wallet to use, "" for none
	WalletFrom  string // where WalletDir came from
}

// ErrNoAlias is returned (wrapped) by Lookup when no file defines the alias.
var ErrNoAlias = errors.New("TNS alias not found")

// Lookup resolves an alias, case-insensitively, trying alias.DEFAULT_DOMAIN
// when the alias has no domain and is not defined as given.
func (c *Config) Lookup(alias string) (Descriptor, error) {
	e, ok := c.entries[strings.ToUpper(alias)]
	if !ok && c.Sqlnet.DefaultDomain != "" && !strings.Contains(alias, ".") {
		e, ok = c.entries[strings.ToUpper(alias+"."+c.Sqlnet.DefaultDomain)]
	}
	if !ok {
		return Descriptor{}, fmt.Errorf("%w: %q is not defined in %s (the directory comes from %s): check the name or set TNS_ADMIN to the directory whose tnsnames.ora defines it", ErrNoAlias, alias, strings.Join(c.Files, ", "), c.From)
	}
	return c.describe(e)
}

func (c *Config) describe(e entry) (Descriptor, error) {
	root := e.node
	d := Descriptor{Alias: e.name, File: e.file, Line: root.Line}
	desc := root.Child("DESCRIPTION")
	if desc == nil {
		desc = root.Child("DESCRIPTION_LIST")
	}
	if desc == nil {
		return d, fmt.Errorf("%s line %d: alias %q has no (DESCRIPTION=...): only connect descriptors are supported", e.file, root.Line, e.name)
	}
	d.Text = desc.String()
	d.Failover = true
	for _, f := range desc.Find("FAILOVER") {
		d.Failover = d.Failover && (isTrue(f.Value) || f.Value == "")
	}
	for _, l := range desc.Find("LOAD_BALANCE") {
		d.LoadBalance = d.LoadBalance || isTrue(l.Value)
	}
	for _, a := range desc.Find("ADDRESS") {
		addr, err := address(a)
		if err != nil {
			return d, fmt.Errorf("%s line %d: alias %q: %w", e.file, a.Line, e.name, err)
		}
		d.Addresses = append(d.Addresses, addr)
		d.TCPS = d.TCPS || strings.EqualFold(addr.Protocol, "TCPS")
	}
	if len(d.Addresses) == 0 {
		return d, fmt.Errorf("%s line %d: alias %q has no (ADDRESS=(HOST=...)(PORT=...))", e.file, root.Line, e.name)
	}
	if cd := desc.Find("CONNECT_DATA"); len(cd) > 0 {
		if s := cd[0].Find("SERVICE_NAME"); len(s) > 0 {
			d.ServiceName = s[0].Value
		}
		if s := cd[0].Find("SID"); len(s) > 0 {
			d.SID = s[0].Value
		}
	}
	if d.ServiceName == "" && d.SID == "" {
		return d, fmt.Errorf("%s line %d: alias %q names no SERVICE_NAME or SID in its CONNECT_DATA", e.file, root.Line, e.name)
	}
	if dn := desc.Find("SSL_SERVER_CERT_DN"); len(dn) > 0 {
		d.ServerDN = dn[0].Value
	}
	d.WalletDir, d.WalletFrom = c.wallet(desc, e)
	return d, nil
}

func address(a *Node) (Address, error) {
	addr := Address{Protocol: "TCP", Port: 1521}
	if p := a.Child("PROTOCOL"); p != nil {
		addr.Protocol = strings.ToUpper(p.Value)
	}
	if h := a.Child("HOST"); h != nil {
		addr.Host = h.Value
	}
	if addr.Host == "" {
		return addr, errors.New("an ADDRESS has no HOST")
	}
	if p := a.Child("PORT"); p != nil {
		n, err := strconv.Atoi(p.Value)
		if err != nil || n <= 0 || n > 65535 {
			return addr, fmt.Errorf("PORT %q is not a port number", p.Value)
		}
		addr.Port = n
	}
	return addr, nil
}

// wallet picks the wallet: the descriptor's own (SECURITY=(MY_WALLET_DIRECTORY
// or WALLET_LOCATION=...)), else sqlnet.ora's WALLET_LOCATION, else the
// configuration directory when it holds a wallet (Voyager's layout: the
// wallet next to tnsnames.ora in TNS_ADMIN).
func (c *Config) wallet(desc *Node, e entry) (dir, from string) {
	for _, sec := range desc.Find("SECURITY") {
		for _, k := range []string{"MY_WALLET_DIRECTORY", "WALLET_LOCATION"} {
			if w := sec.Find(k); len(w) > 0 {
				if v := walletDirectory(w[0]); v != "" {
					return c.expand(v), fmt.Sprintf("%s in %s", strings.ToUpper(k), e.file)
				}
			}
		}
	}
	if c.Sqlnet.WalletDir != "" {
		return c.Sqlnet.WalletDir, "WALLET_LOCATION in " + filepath.Join(c.Dir, "sqlnet.ora")
	}
	for _, f := range []string{"cwallet.sso", "ewallet.p12"} {
		if _, err := os.Stat(filepath.Join(c.Dir, f)); err == nil {
			return c.Dir, f + " in " + c.Dir
		}
	}
	return "", ""
}
