"""docs/production.md, followed on this machine as far as it goes without systemd.

The files the guide installs are read from deploy/ and rendered for this run (host ports, a
temporary folder instead of /var/lib/palabre, a scratch PostgreSQL database, a self-signed
certificate made here for palabre.example.org): the environment file, the web and worker units'
commands, the backup unit's command, and nginx's site. Then, through nginx over TLS: pages are
compressed, static files are cached for long, bodies over the limit stop at nginx, clients are
told apart by the address nginx passes on; and a backup restores rows, photos and receipts.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import http.client
import json
import os
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.live_servers import clean_environment, free_port, unavailable
from tests.production.helpers import BIN, ROOT, createdb, dropdb, snapshot

DEPLOY = ROOT / "deploy"
HOST = "palabre.example.org"
GUIDE_DATABASE_URL = "postgres://palabre:CHANGE-ME@127.0.0.1:5432/palabre"
GUIDE_EMAIL_URL = "smtp://palabre%40ville.example:CHANGE-ME@smtp.ville.example:587?tls=true"
FEED = "/reseau/flux.json"
FEED_READS_PER_CLIENT = 30  # palabre.network.views.FEED_READS


def _render(path: Path, replacements: dict[str, str]) -> str:
    """Return the file at `path` with each value the guide shows replaced by this run's."""
    text = path.read_text()
    for shown, used in replacements.items():
        assert shown in text, f"{path.relative_to(ROOT)} no longer holds {shown!r}"
        text = text.replace(shown, used)
    return text


def _environment_file(text: str) -> dict[str, str]:
    """Read KEY=VALUE lines as systemd's EnvironmentFile= does (no quotes used in ours)."""
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.startswith("#")}


def _unit_command(unit: str, key: str, replacements: dict[str, str]) -> str:
    text = _render(DEPLOY / "systemd" / unit, replacements)
    lines = [line for line in text.splitlines() if line.startswith(f"{key}=")]
    assert len(lines) == 1, f"{unit} has no single {key}="
    return lines[0].split("=", 1)[1].replace("%%", "%")


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing answers on port {port}:\n{log.read_text()[-3000:]}")


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir()
    chain, private = folder / "fullchain.pem", folder / "privkey.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return chain, private


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return ", ".join(self.headers.get_all(name) or [])

    def text(self) -> str:
        raw = gzip.decompress(self.body) if self.header("Content-Encoding") == "gzip" else self.body
        return raw.decode()


@dataclass
class Server:
    """One run of the guide: the processes started, and how to reach them."""

    folder: Path
    env: dict[str, str]
    web_command: list[str]
    worker_command: list[str]
    https_port: int
    http_port: int
    certificate: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def var(self) -> Path:
        return Path(self.env["PALABRE_VAR_DIR"])

    def start(self, name: str, command: list[str], port: int | None = None) -> None:
        log = self.folder / f"{name}.log"
        process = subprocess.Popen(
            command,
            cwd=self.var,
            env=clean_environment(**self.env),
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its children (gunicorn's workers) stop with it
        )
        self.processes[name] = process
        if port is not None:
            _wait_for_port(port, process, log)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def run(self, command: list[str] | str, **env: str) -> str:
        result = subprocess.run(
            command,
            cwd=self.var,
            env=clean_environment(**(self.env | env)),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            shell=isinstance(command, str),
        )
        assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def get(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        source: str = "127.0.0.1",
        tls: bool = True,
    ) -> Response:
        """Ask nginx for `path` as a browser at address `source` would."""
        connection: http.client.HTTPConnection
        if tls:
            context = ssl.create_default_context(cafile=str(self.certificate))
            context.check_hostname = False  # reached by address; the chain is still checked
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=context, source_address=(source, 0)
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.http_port, source_address=(source, 0)
            )
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in {"Host": HOST, **(headers or {})}.items():
                connection.putheader(name, value)
            connection.endheaders()
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()


def _nginx() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None:
        unavailable("nginx is missing", "make test installs Debian's nginx")
    return found


@pytest.fixture
def server(scratch_postgres: str, tmp_path: Path) -> Iterator[Server]:
    """Follow the guide's installation: environment file, migrate, nginx, web, worker."""
    nginx = _nginx()
    var, backups, acme = tmp_path / "var", tmp_path / "backups", tmp_path / "acme"
    for folder in (var, backups, acme):
        folder.mkdir()
    app_port, https_port, http_port = free_port(), free_port(), free_port()
    paths = {"/opt/palabre/venv/bin/": f"{BIN}/"}
    env_text = _render(
        DEPLOY / "palabre.env",
        {
            GUIDE_DATABASE_URL: scratch_postgres,
            GUIDE_EMAIL_URL: f"file://{tmp_path / 'mail'}",
            "127.0.0.1:8000": f"127.0.0.1:{app_port}",
            "/var/lib/palabre": str(var),
        },
    )
    env = _environment_file(env_text)
    assert env["PALABRE_TRUSTED_PROXIES"] == "127.0.0.1,::1"
    web = shlex.split(_unit_command("palabre-web.service", "ExecStart", paths))
    worker = shlex.split(_unit_command("palabre-worker.service", "ExecStart", paths))
    assert "PALABRE_TASK_WORKER=false" in web
    chain, private = _self_signed(tmp_path / "tls")
    site = _render(
        DEPLOY / "nginx" / "palabre.conf",
        {
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen [::]:80;": f"listen [::1]:{http_port};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "listen [::]:443 ssl http2;": f"listen [::1]:{https_port} ssl http2;",
            f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(chain),
            f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(private),
            "root /var/lib/palabre;": f"root {var};",
            "/var/www/letsencrypt": str(acme),
        },
    )
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "palabre.conf").write_text(site)
    # What Debian's /etc/nginx/nginx.conf provides around the site, in a folder of this run.
    user = "user root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/palabre.conf;
}}
"""
    )
    running = Server(tmp_path, env, web, worker, https_port, http_port, chain)
    try:
        running.run([f"{BIN}/palabre", "migrate"])
        # The city's data: the demo's neighbourhoods, actions, photos and receipts.
        running.run([f"{BIN}/palabre", "manage", "load_demo"])
        # Checked with the guide's mail server (this run writes its emails to files instead).
        running.run(
            [f"{BIN}/palabre", "manage", "check", "--deploy", "--fail-level=WARNING"],
            PALABRE_EMAIL_URL=GUIDE_EMAIL_URL,
        )
        running.start("web", web, app_port)
        running.start("worker", worker)
        command = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
        subprocess.run([*command, "-t", "-q"], check=True, capture_output=True)
        running.start("nginx", [*command, "-g", "daemon off;"], https_port)
        yield running
    finally:
        running.stop_all()


def test_the_production_guide_serves_through_nginx_and_restores_a_backup(
    server: Server, scratch_postgres: str
) -> None:
    # Plain HTTP is sent to HTTPS.
    plain = server.get("/", tls=False)
    assert plain.status == 301
    assert plain.header("Location").startswith(f"https://{HOST}/")

    # Pages go out compressed to whoever asks (a phone always does).
    home = server.get("/", headers={"Accept-Encoding": "gzip"})
    assert home.status == 200
    assert home.header("Content-Encoding") == "gzip"
    assert "<html" in home.text()
    assert "max-age=" in home.header("Strict-Transport-Security")  # PALABRE_HTTPS saw https

    # Static files come from nginx, cached for long when their name carries their hash.
    manifest = json.loads((server.var / "static" / "staticfiles.json").read_text())
    style = manifest["paths"]["css/palabre.css"]
    static = server.get(f"/static/{style}", headers={"Accept-Encoding": "gzip"})
    assert static.status == 200
    assert "immutable" in static.header("Cache-Control")
    assert "max-age=315360000" in static.header("Cache-Control")
    assert static.header("Content-Encoding") == "gzip"

    # A body over the limit is stopped by nginx before gunicorn sees a byte of it.
    too_large = server.get("/", method="POST", headers={"Content-Length": str(12 * 1024 * 1024)})
    assert too_large.status == 413

    # Clients are told apart by the address nginx passes on, and cannot choose it.
    for _ in range(FEED_READS_PER_CLIENT):
        assert server.get(FEED, source="127.0.0.5").status == 200
    assert server.get(FEED, source="127.0.0.5").status == 429
    forged = {"X-Forwarded-For": "198.51.100.9"}
    assert server.get(FEED, source="127.0.0.5", headers=forged).status == 429
    assert server.get(FEED, source="127.0.0.6").status == 200

    # The monitoring's address: green once the worker unit's process wrote its heartbeat.
    deadline = time.monotonic() + 30
    while (health := server.get("/healthz")).status != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert health.status == 200, health.text()
    assert json.loads(health.text())["worker"]["live"] == 1
    assert server.get("/healthz/web").status == 200
    assert server.processes["worker"].poll() is None, (server.folder / "worker.log").read_text()

    # The nightly backup, as palabre-backup.service runs it.
    paths = {
        "/opt/palabre/venv/bin/": f"{BIN}/",
        "/var/backups/palabre": str(server.folder / "backups"),
    }
    server.run(_unit_command("palabre-backup.service", "ExecStart", paths))
    server.run(_unit_command("palabre-backup.service", "ExecStartPost", paths))
    (archive,) = (server.folder / "backups").glob("palabre-*.tar")
    media = server.var / "media"
    before = snapshot(server.env, media)
    first_photo = (
        "from palabre.initiatives.models import InitiativePhoto; "
        "print(InitiativePhoto.objects.first().pk)"
    )
    photo_pk = server.run([f"{BIN}/palabre", "manage", "shell", "--no-imports", "-c", first_photo])
    photo = server.get(f"/actions/photos/{photo_pk.strip()}/")
    assert photo.status == 200

    # The restore drill: the server is lost (database and media), the backup brings it back.
    server.stop("worker")
    server.stop("web")
    name = scratch_postgres.rsplit("/", 1)[1]
    dropdb(name)
    createdb(name)
    shutil.rmtree(media)
    server.run([f"{BIN}/palabre", "restore", str(archive)])
    server.run([f"{BIN}/palabre", "migrate"])
    server.start("web", server.web_command, int(server.env["PALABRE_BIND"].rsplit(":", 1)[1]))
    server.start("worker", server.worker_command)

    assert snapshot(server.env, media) == before
    again = server.get(f"/actions/photos/{photo_pk.strip()}/")
    assert again.status == 200
    assert hashlib.sha256(again.body).digest() == hashlib.sha256(photo.body).digest()
