"""An aiosmtpd handler for tests: stores mail in a maildir like aiosmtpd.handlers.Mailbox, but refuses some
recipients. An address containing 'reject' gets a permanent 550, one containing 'tempfail' a temporary 451.

Run: PYTHONPATH=<this folder> /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_rejecting.Handler MAILDIR
"""
from aiosmtpd.handlers import Mailbox


class Handler(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if 'reject' in address:
            return '550 5.1.1 no such user'
        if 'tempfail' in address:
            return '451 4.3.0 try later'
        envelope.rcpt_tos.append(address)
        return '250 OK'
