package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/testdb"
)

// lockedBuffer is a bytes.Buffer the server and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// devOutput is what banli dev printed, and the database it ran on.
type devOutput struct {
	lockedBuffer
	databaseURL string
}

// startDev runs banli dev in this process — the README's run command — on a
// test database and a free port, waits until it answers, and stops it when
// the test ends. It returns its base URL and what it printed.
func startDev(t *testing.T) (string, *devOutput, *lockedBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	out := &devOutput{databaseURL: testdb.New(t)}
	env := map[string]string{"DATABASE_URL": out.databaseURL, "BANLI_LISTEN_ADDR": addr, "BANLI_LOG_LEVEL": "warn"}
	ctx, cancel := context.WithCancel(context.Background())
	var errOut lockedBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"dev"}, stdio{Stdout: out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("banli dev exited %d: %s", code, errOut.String())
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("banli dev did not answer: %v\n%s", err, errOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return base, out, &errOut
}

// TestDevLogsInEveryDemoUser runs banli dev (on a test database) and logs
// in as every demo user through the development OpenID provider, over the
// production login path: /login/dev, the provider's page, the callback, the
// session; /me then shows the user's unit and roles.
func TestDevLogsInEveryDemoUser(t *testing.T) {
	t.Parallel()
	base, out, _ := startDev(t)
	env := map[string]string{"DATABASE_URL": out.databaseURL}
	if !strings.Contains(out.String(), base+"/login") {
		t.Errorf("banli dev does not say where to log in:\n%s", out.String())
	}

	action := regexp.MustCompile(`<form method="post" action="([^"]+)">\s*<input type="hidden" name="authRequestID" value="([^"]+)">`)
	for _, p := range demo.People() {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
		resp, err := client.Get(base + "/login/dev")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := action.FindSubmatch(page)
		if resp.StatusCode != http.StatusOK || m == nil || !bytes.Contains(page, []byte(p.Name)) {
			t.Fatalf("%s: the provider's page (%d) lacks the user list:\n%s", p.Login, resp.StatusCode, page)
		}
		target, err := resp.Request.URL.Parse(string(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		resp, err = client.PostForm(target.String(), url.Values{"authRequestID": {string(m[2])}, "user": {p.Login}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
			t.Fatalf("%s: login ended at %s with %d", p.Login, resp.Request.URL, resp.StatusCode)
		}
		resp, err = client.Get(base + "/me")
		if err != nil {
			t.Fatal(err)
		}
		var me map[string]any
		err = json.NewDecoder(resp.Body).Decode(&me)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: /me %d %v", p.Login, resp.StatusCode, err)
		}
		roles := fmt.Sprint(me["roles"])
		if me["name"] != p.Name || !strings.Contains(fmt.Sprint(me["department"]), p.Unit) || !strings.Contains(roles, string(p.Roles[0])) {
			t.Errorf("%s: /me says %v", p.Login, me)
		}
	}
	_, users, _ := runWith(t, map[string]string{"DATABASE_URL": env["DATABASE_URL"]}, "user", "list")
	if n := strings.Count(users, "\n") - 1; n != len(demo.People()) {
		t.Errorf("logins created users beside the demo's (%d users, want %d):\n%s", n, len(demo.People()), users)
	}
}
