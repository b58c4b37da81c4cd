"""An aiosmtpd handler for tests: stores mail in a maildir like aiosmtpd.handlers.Mailbox, but misbehaves for some
recipients:
  - an address containing 'reject' gets a permanent 550,
  - one containing 'tempfail' a temporary 451,
  - one containing 'drop' has its connection closed without a reply, the first time only (a dropped connection).

Run: PYTHONPATH=<this folder> /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_rejecting.Handler MAILDIR
"""
from aiosmtpd.handlers import Mailbox

_dropped = set()


class Handler(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if 'reject' in address:
            return '550 5.1.1 no such user'
        if 'tempfail' in address:
            return '451 4.3.0 try later'
        if 'drop' in address and address not in _dropped:
            _dropped.add(address)
            server.transport.close()
            return '421 4.4.2 closing'
        envelope.rcpt_tos.append(address)
        return '250 OK'
