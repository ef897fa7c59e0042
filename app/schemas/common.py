"""Bodies shared by every resource: the error body."""

from sqlmodel import SQLModel


class ErrorMessage(SQLModel):
    """Every non-validation error body."""

    detail: str
