"""Domain records as request bodies: unknown fields and malformed ids are refused with 422.

The domain models ignore fields they do not know, so a desk can read a store written by a
newer version. A request is held to the schema instead: a misspelt field (`emotion_levl`)
would otherwise be dropped without a word and the record saved without it. `Strict[Call]`
is `Call` as a route's body type: the same model and OpenAPI schema, validated with unknown
fields forbidden at every depth (the handoff packet, its transcript lines, ticket notes...).

Record ids become URL path segments and change-feed entity ids, so the id a client gives a
new record must be 1-100 letters, digits, `.`, `_`, `:` or `-` (`RECORD_ID`).

`Replacing[Customer]` is the body of a PUT: checked the same way, but `id` may be left out
because the path names the record (see `routes.common.replacement`).
"""

import re
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    create_model,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

M = TypeVar("M", bound=BaseModel)

RECORD_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
"""What a record id sent by a client must look like (whole string)."""

_ID_RULE = "an id is 1-100 letters, digits, '.', '_', ':' or '-'"


def id_problem(value: object) -> str | None:
    """Why `value` cannot be a record id, or None when it can."""
    if not isinstance(value, str):
        return None  # the model's own validation reports the wrong type
    return None if RECORD_ID.fullmatch(value) else f"{_ID_RULE}, not {value[:40]!r}"


def _details(error: dict[str, Any]) -> InitErrorDetails:
    """A reported validation error in the form `ValidationError.from_exception_data` takes."""
    details: dict[str, Any] = {"type": error["type"], "loc": tuple(error["loc"]), "input": error["input"]}
    if "ctx" in error:
        details["ctx"] = error["ctx"]
    return details  # type: ignore[return-value]


FROM_PATH = "\x00id-from-the-path"
"""The id a `Replacing[...]` body holds when it left `id` out; never a valid record id."""


def _strict_validator(model: type[BaseModel], *, id_from_path: bool = False) -> WrapValidator:
    def validate(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if not isinstance(value, dict):
            return handler(value)  # not an object: the usual error says so
        placeholder = id_from_path and "id" in model.model_fields and "id" not in value
        if placeholder:
            value = {**value, "id": FROM_PATH}
        errors: list[InitErrorDetails] = []
        try:
            record = model.model_validate(value, extra="forbid")
        except ValidationError as exc:
            errors.extend(_details(e) for e in exc.errors(include_url=False))
        if (
            "id" in model.model_fields
            and not placeholder
            and (problem := id_problem(value.get("id"))) is not None
        ):
            errors.append(
                {"type": PydanticCustomError("invalid_id", problem), "loc": ("id",), "input": value["id"]}
            )
        if errors:
            raise ValidationError.from_exception_data(model.__name__, errors)
        return record

    return WrapValidator(validate)


_PUT_ID = "Optional: the id in the path when left out; when given, it must equal the path's."
"""How the OpenAPI document describes `id` in a PUT body."""


@cache
def _body(model: type[BaseModel], *, id_from_path: bool) -> Any:
    """`model` as a request body type, made once per model and kind of body."""
    validator = _strict_validator(model, id_from_path=id_from_path)
    if not (id_from_path and "id" in model.model_fields):
        return Annotated[model, validator]
    # The schema of the body only: the validator above still answers with `model` itself.
    schema_model = create_model(
        f"{model.__name__}Replacement",
        __base__=model,
        __doc__=f"A {model.__name__} as the body of a PUT: `id` may be left out, the path names the record.",
        id=(str, Field(default_factory=lambda: FROM_PATH, description=_PUT_ID)),
    )
    return Annotated[schema_model, validator]


class Strict:
    """`Strict[Model]`: `Model` as a request body, with unknown fields and bad ids refused."""

    def __class_getitem__(cls, model: type[M]) -> Any:
        return _body(model, id_from_path=False)


class Replacing:
    """`Replacing[Model]`: the body of a PUT, checked like `Strict[Model]`; `id` may be left out.

    A body without `id` validates with `FROM_PATH` as its id, for the route to replace with
    the id in the path. The OpenAPI document shows it as `<Model>Replacement`: the model's
    schema with `id` optional (the model's own schema, as answers use it, keeps it required).
    """

    def __class_getitem__(cls, model: type[M]) -> Any:
        return _body(model, id_from_path=True)
