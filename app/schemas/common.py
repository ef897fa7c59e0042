"""What every resource shares: the error body, and the PATCH bodies' refusal of `null`."""

from sqlmodel import SQLModel


class ErrorMessage(SQLModel):
    """Every non-validation error body."""

    detail: str


def refuse_null(cls: type, value: object) -> object:
    """A PATCH body's field validator: leaving a field out keeps it; sending `null` is an error
    (for the NOT NULL columns). Use as `not_null = field_validator("a", "b")(refuse_null)`; the
    first parameter must be named `cls`: that is how pydantic tells the class from the value."""
    if value is None:
        raise ValueError("must not be null (leave the field out to keep its value)")
    return value
