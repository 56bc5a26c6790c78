"""Errors that tell the truth (issue 17, item 8): a full disk is reported as a full disk of the bank,
never as a fault of the user's file, and never as a traceback."""

from __future__ import annotations

from scobank.errors import StorageError, storage_error


def test_a_full_disk_under_a_command_is_said_as_such(bank, tmp_path):
    bank.cli("ledger", "checkpoint")
    result = bank.cli("ledger", "checkpoint", "--save", "/dev/full")  # every write there: ENOSPC
    assert result.exit_code == 16, result.stderr
    assert "error [storage]" in result.stderr and "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_operating_systems_full_disk_becomes_a_storage_error_naming_the_path():
    try:
        with open("/dev/full", "wb") as f:
            f.write(b"x" * 10)
            f.flush()
    except OSError as exc:
        error = storage_error(exc)
    assert isinstance(error, StorageError) and error.status == 507
    assert "No space left on device" in error.message and "not at fault" in error.message
    assert storage_error(ValueError("a bad cell")) is None  # the user's mistakes stay theirs
