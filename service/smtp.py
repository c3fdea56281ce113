"""One reusable SMTP connection and what its errors mean for a delivery.

Every failure of ``SmtpConnection.send`` is one of three kinds:

- ``TemporaryFailure``: a 4xx reply, a dropped connection, a timeout, a refused
  connect. The message was not accepted; try again later. The connection is closed and
  opened anew on the next send.
- ``PermanentFailure``: a 5xx reply for this recipient or this message. Do not retry.
  ``UnusableAddress`` (a kind of it): the address cannot be used at all (not ASCII, a
  line break), found before or while talking to the server.
- ``FatalSmtpError``: the setup is wrong (login refused, sender refused, TLS not
  offered, certificate not valid). Retrying cannot help; stop the whole send.
"""

from __future__ import annotations

import smtplib
import ssl

from service.config import SmtpSettings


class DeliveryFailure(Exception):
    def __init__(self, text: str, *, connection: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.connection = connection  # the server could not be reached at all


class TemporaryFailure(DeliveryFailure):
    pass


class PermanentFailure(DeliveryFailure):
    pass


class FatalSmtpError(DeliveryFailure):
    pass


class UnusableAddress(PermanentFailure):
    """The stored address cannot be written in a message or an SMTP command at all."""


def _reply_text(code: int, message: bytes | str) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{code} {message}".strip()[:500]


def _by_code(code: int, message: bytes | str) -> DeliveryFailure:
    text = _reply_text(code, message)
    if 400 <= code < 500:
        return TemporaryFailure(text)
    return PermanentFailure(text)


class SmtpConnection:
    """Connects lazily on the first send and reuses the connection for the next ones."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self.connects = 0

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        where = f"{s.host}:{s.port}"
        try:
            if s.tls == "ssl":
                smtp = smtplib.SMTP_SSL(
                    s.host,
                    s.port,
                    local_hostname=s.helo,
                    timeout=s.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, local_hostname=s.helo, timeout=s.timeout)
            try:
                if s.tls == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if s.user:
                    smtp.login(s.user, s.password)
            except BaseException:
                smtp.close()
                raise
        except smtplib.SMTPAuthenticationError as error:
            raise FatalSmtpError(
                f"Anmeldung am SMTP-Server {where} abgelehnt "
                f"({_reply_text(error.smtp_code, error.smtp_error)}). So beheben: "
                "NEWSLETTER_SMTP_USER und das Passwort (NEWSLETTER_SMTP_PASSWORD) prüfen."
            ) from error
        except ssl.SSLCertVerificationError as error:
            raise FatalSmtpError(
                f"Das TLS-Zertifikat von {where} ist nicht gültig ({error.verify_message})."
            ) from error
        except smtplib.SMTPNotSupportedError as error:
            raise FatalSmtpError(
                f"Der SMTP-Server {where} kann das nicht: {error}. So beheben: "
                "NEWSLETTER_SMTP_TLS ('none', 'starttls', 'ssl') und NEWSLETTER_SMTP_PORT prüfen."
            ) from error
        except smtplib.SMTPResponseException as error:
            failure = _by_code(error.smtp_code, error.smtp_error)
            if isinstance(failure, TemporaryFailure):
                raise TemporaryFailure(failure.text, connection=True) from error
            raise FatalSmtpError(f"Der SMTP-Server {where} lehnt ab: {failure.text}") from error
        except smtplib.SMTPServerDisconnected as error:
            raise TemporaryFailure(
                f"Verbindung zu {where} unterbrochen: {error}", connection=True
            ) from error
        except smtplib.SMTPException as error:
            raise FatalSmtpError(f"SMTP-Server {where}: {error}") from error
        except OSError as error:  # refused, unreachable, timeout, TLS handshake
            raise TemporaryFailure(
                f"Keine Verbindung zu {where}: {error}", connection=True
            ) from error
        self.connects += 1
        return smtp

    def _drop(self) -> None:
        """Forget a connection in an unknown state (no QUIT: it may hang)."""
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        """Say QUIT and close; never raises."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def send(self, sender: str, recipient: str, data: bytes) -> None:
        """One SMTP transaction; returns when the server has accepted the message."""
        if self._smtp is None or self._smtp.sock is None:
            self._smtp = None
            self._smtp = self._open()
        try:
            self._smtp.sendmail(sender, [recipient], data)
        except smtplib.SMTPRecipientsRefused as error:
            code, message = next(iter(error.recipients.values()))
            failure = _by_code(code, message)
        except smtplib.SMTPSenderRefused as error:
            failure = _by_code(error.smtp_code, error.smtp_error)
            if isinstance(failure, PermanentFailure):
                failure = FatalSmtpError(
                    f"Der SMTP-Server lehnt die Absenderadresse {sender} ab ({failure.text}). "
                    "So beheben: NEWSLETTER_FROM prüfen (darf dieses Konto mit dieser "
                    "Adresse senden?)."
                )
        except smtplib.SMTPResponseException as error:
            failure = _by_code(error.smtp_code, error.smtp_error)
        except smtplib.SMTPServerDisconnected as error:
            failure = TemporaryFailure(f"Verbindung unterbrochen: {error or 'ohne Antwort'}")
        except smtplib.SMTPException as error:
            failure = TemporaryFailure(f"SMTP-Fehler: {error}")
        except OSError as error:  # reset, broken pipe, timeout
            failure = TemporaryFailure(f"Verbindungsfehler: {error or type(error).__name__}")
        except (UnicodeError, ValueError) as error:
            # an address SMTP cannot carry (not ASCII, a line break): this address can
            # never be sent to; the transaction is half done, so the connection goes
            self._drop()
            raise UnusableAddress(f"Adresse nicht verwendbar ({type(error).__name__})") from None
        else:
            return
        if not isinstance(failure, PermanentFailure):
            self._drop()
        raise failure
