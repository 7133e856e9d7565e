"""Which line a claim cites when several could: the product's own program before a
developer tool, and the server's shutdown before a command's (from a user read of
benbjohnson/wtf, whose CLI, server and component preview share one module)."""

from __future__ import annotations

from pathlib import Path

from tests.probes.conftest import RunProbe, as_reported

_NOTIFY = "\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, os.Interrupt)\n\t<-c\n"
_WTF = {
    "go.mod": "module example.com/wtf\n\ngo 1.22\n",
    # The command-line client: a main that waits for Ctrl-C too.
    "cmd/wtf/main.go": 'package main\n\nimport (\n\t"os"\n\t"os/signal"\n)\n\n'
    "func main() {\n" + _NOTIFY + "}\n",
    # A component preview developers run; it serves on :3001.
    "cmd/wtf-storybook/main.go": 'package main\n\nimport "net/http"\n\n'
    'func main() {\n\thttp.ListenAndServe(":3001", nil)\n}\n',
    # The server.
    "cmd/wtfd/main.go": 'package main\n\nimport (\n\t"context"\n\t"net/http"\n\t"os"\n'
    '\t"os/signal"\n)\n\nfunc main() {\n\tsrv := &http.Server{Addr: ":8080"}\n'
    "\tgo srv.ListenAndServe()\n" + _NOTIFY + "\tsrv.Shutdown(context.Background())\n}\n",
}


def test_the_server_is_witnessed_by_the_product_not_a_preview_tool(run_probe: RunProbe) -> None:
    # "No health endpoint ... although the code serves requests (<the server's line>)".
    health = run_probe("OBS006", _WTF)
    assert [e.path for e in health.evidence] == ["cmd/wtfd/main.go"], health.message
    # With only the preview serving, it is still the witness: nothing else shows a server.
    alone = {k: v for k, v in _WTF.items() if k != "cmd/wtfd/main.go"}
    preview = run_probe("OBS006", alone)
    assert [e.path for e in preview.evidence] == ["cmd/wtf-storybook/main.go"], preview.message


def test_a_ctrl_c_only_shutdown_cites_the_server_not_the_command(run_probe: RunProbe) -> None:
    result = run_probe("REL004", _WTF)
    assert result.outcome.value == "fail" and result.partial, result.message
    assert [e.path for e in result.evidence] == ["cmd/wtfd/main.go"], result.evidence


_CLIENT = {
    "go.mod": "module example.com/wtf\n\ngo 1.22\n",
    # A shared package: the server's handlers and the CLI's client live side by side.
    "http/dial.go": 'package http\n\nimport (\n\t"context"\n\t"net/http"\n)\n\n'
    "// DialService talks to the server over HTTP.\ntype DialService struct{ URL string }\n\n"
    "func NewDialService(url string) *DialService {\n\treturn &DialService{URL: url}\n}\n\n"
    "func (s *DialService) Find(ctx context.Context) error {\n"
    '\treq, _ := http.NewRequestWithContext(ctx, "GET", s.URL, nil)\n'
    "\t_, err := http.DefaultClient.Do(req)\n\treturn err\n}\n",
    "http/server.go": 'package http\n\nimport (\n\t"net/http"\n\n\t"example.com/wtf"\n)\n\n'
    "type Server struct {\n\tDialService wtf.DialService\n}\n\n"
    'func (s *Server) Open() error {\n\treturn http.ListenAndServe(":8080", nil)\n}\n',
    "wtf.go": "package wtf\n\ntype DialService interface{}\n",
    # The CLI builds the client; the server only names the root package's interface.
    "cmd/wtf/main.go": 'package main\n\nimport "example.com/wtf/http"\n\n'
    'func main() {\n\tsvc := http.NewDialService("http://localhost")\n\t_ = svc\n}\n',
    "cmd/wtfd/main.go": 'package main\n\nimport (\n\t"example.com/wtf"\n'
    '\t"example.com/wtf/http"\n)\n\nfunc main() {\n\tvar d wtf.DialService\n'
    "\ts := &http.Server{DialService: d}\n\ts.Open()\n}\n",
}


def test_calls_only_a_command_line_client_makes_are_not_a_servers(tmp_path: Path) -> None:
    # wtf: http.DefaultClient in http/dial.go, reached only from cmd/wtf.
    client = as_reported(tmp_path / "cli", "REL001", _CLIENT)
    assert client.outcome.value == "fail" and client.severity.value == "low", client.message
    assert "command-line program" in client.severity_note
    from_server = {
        **_CLIENT,
        "cmd/wtfd/main.go": _CLIENT["cmd/wtfd/main.go"].replace(
            "\tvar d wtf.DialService\n", '\td := http.NewDialService("http://peer")\n'
        ),
    }
    served = as_reported(tmp_path / "server", "REL001", from_server)
    assert served.outcome.value == "fail" and served.severity.value == "high", served.message
