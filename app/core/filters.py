"""What the lists filter by, validated: `ProductFilter` (the product list and its CSV export) and
`MovementFilter` (the movement list). The API's query models extend them with a page
(app.schemas); the data layer builds its WHERE clauses from them (app.crud). None, or no
reasons, is no filter; unknown parameters are ignored."""

from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from app.core.ledger import MovementReason
from app.core.validation import INT4_MAX, PRICE_MAX, BarcodeLookup, RowId, SearchText, SkuLookup

QueryPrice = Annotated[Decimal | None, Field(ge=0, le=PRICE_MAX, allow_inf_nan=False)]


class ProductFilter(BaseModel):
    """The filters of `GET /products` and `GET /products.csv`."""

    model_config = ConfigDict(extra="ignore")

    q: Annotated[SearchText | None, Field(description="Case-insensitive substring of the name")] = None
    min_price: QueryPrice = None
    max_price: QueryPrice = None
    max_quantity: Annotated[int | None, Field(ge=0, le=INT4_MAX, description="Quantity at most this")] = None
    sku: Annotated[SkuLookup | None, Field(description="This SKU exactly, compared case-insensitively")] = (
        None
    )
    barcode: Annotated[BarcodeLookup | None, Field(description="This barcode exactly")] = None
    low_stock: Annotated[
        bool | None,
        Field(
            description="true: only products low on stock (quantity <= reorder_level); false: only the others"
        ),
    ] = None


class MovementFilter(BaseModel):
    """The filters of `GET /movements`."""

    model_config = ConfigDict(extra="ignore")

    product_id: Annotated[RowId | None, Field(description="Only this product's movements")] = None
    location_id: Annotated[RowId | None, Field(description="Only the movements at this location")] = None
    reason: Annotated[list[MovementReason], Field(description="Only these reasons (repeatable)")] = []
    since: Annotated[AwareDatetime | None, Field(description="Recorded at or after this instant")] = None
    until: Annotated[AwareDatetime | None, Field(description="Recorded before this instant")] = None
