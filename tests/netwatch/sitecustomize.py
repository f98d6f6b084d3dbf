"""Loaded by Python at start-up when this folder is on PYTHONPATH (only the network test does that):
records every socket connect and name lookup of the process to the file named by SR_NETWATCH_LOG."""

import json
import os
import socket

_LOG = os.environ.get("SR_NETWATCH_LOG")

if _LOG:
    _connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def _record(kind, target):
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps({"pid": os.getpid(), "kind": kind, "target": repr(target)}) + "\n")

    def connect(self, address):
        _record("connect", address)
        return _connect(self, address)

    def connect_ex(self, address):
        _record("connect", address)
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        _record("lookup", host)
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
    _record("start", os.getpid())  # proves the watch was loaded in this process
