"""Fixed vocabularies that make names and prices read like a real shop.

Faker supplies people and places; the catalogue (categories, brands, product words, promotion
calendar) is ours, because a product name has to read like a product of its category and brand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CategoryNode:
    name: str
    parent: str | None
    # Words for product names when this node ends up a leaf of the generated tree.
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]
    # Median unit price and log-spread: a phone costs more than a T-shirt, prices skew right.
    median_price: float
    price_sigma: float


def _n(name: str, parent: str | None, nouns: str, adjectives: str, median: float,
       sigma: float = 0.45) -> CategoryNode:
    return CategoryNode(name, parent, tuple(nouns.split("|")), tuple(adjectives.split("|")),
                        median, sigma)


# Listed roots first, then children grouped by parent; the selection walks it breadth first.
TAXONOMY: tuple[CategoryNode, ...] = (
    _n("Electronics", None, "Gadget|Device|Charger", "Smart|Wireless|Compact|Portable", 90, 0.8),
    _n("Fashion", None, "Jacket|Sweater|Bag", "Classic|Slim|Casual|Vintage", 45),
    _n("Home & Kitchen", None, "Organizer|Lamp|Storage Box", "Modern|Minimal|Sturdy|Cozy", 35),
    _n("Sports & Outdoors", None, "Water Bottle|Backpack|Towel", "Lightweight|Pro|Trail", 30),
    _n("Beauty & Personal Care", None, "Cream|Serum|Lotion", "Hydrating|Gentle|Daily|Pure", 22),
    _n("Toys & Games", None, "Puzzle|Game|Playset", "Creative|Junior|Classic|Deluxe", 25),
    _n("Books & Media", None, "Notebook|Journal|Planner", "Pocket|Illustrated|Hardcover", 15),
    _n("Grocery", None, "Coffee|Tea|Snack Box", "Organic|Roasted|Fair Trade|Premium", 12),
    # Electronics
    _n("Smartphones", "Electronics", "Smartphone|Phone", "5G|Dual-SIM|Pro|Lite|Ultra", 520, 0.55),
    _n("Laptops", "Electronics", "Laptop|Notebook|Ultrabook", "14-inch|16-inch|Pro|Air|Gaming",
       980, 0.45),
    _n("Headphones", "Electronics", "Headphones|Earbuds|Headset",
       "Wireless|Noise-Cancelling|Over-Ear|Sport", 85, 0.7),
    _n("Cameras", "Electronics", "Camera|Action Camera|Lens", "Mirrorless|4K|Compact|Zoom",
       640, 0.6),
    _n("Smart Home", "Electronics", "Smart Plug|Smart Speaker|Video Doorbell|Thermostat",
       "Wi-Fi|Voice-Controlled|Indoor|Outdoor", 60, 0.6),
    # Fashion
    _n("T-Shirts", "Fashion", "T-Shirt|Tee|Polo Shirt", "Cotton|Organic|Slim-Fit|Oversized",
       19, 0.35),
    _n("Shoes", "Fashion", "Sneakers|Boots|Loafers|Sandals", "Leather|Running|Canvas|Waterproof",
       75, 0.45),
    _n("Dresses", "Fashion", "Dress|Maxi Dress|Shirt Dress", "Floral|Linen|Wrap|Midi", 48, 0.4),
    _n("Watches", "Fashion", "Watch|Chronograph|Smartwatch", "Steel|Automatic|Sport|Minimalist",
       160, 0.7),
    _n("Jeans", "Fashion", "Jeans|Denim Jacket|Chinos", "Straight|Skinny|Relaxed|Stretch", 55,
       0.35),
    # Home & Kitchen
    _n("Cookware", "Home & Kitchen", "Frying Pan|Saucepan|Dutch Oven|Wok",
       "Non-Stick|Cast Iron|Stainless|Ceramic", 55, 0.5),
    _n("Furniture", "Home & Kitchen", "Desk|Bookshelf|Armchair|Side Table",
       "Oak|Walnut|Foldable|Scandinavian", 210, 0.6),
    _n("Bedding", "Home & Kitchen", "Duvet Cover|Pillow|Sheet Set|Blanket",
       "Linen|Cotton|Queen|King", 45, 0.45),
    _n("Small Appliances", "Home & Kitchen", "Blender|Kettle|Toaster|Coffee Maker",
       "Electric|Stainless|Compact|Programmable", 70, 0.55),
    _n("Lighting", "Home & Kitchen", "Floor Lamp|Desk Lamp|LED Strip|Pendant Light",
       "Dimmable|LED|Industrial|Warm White", 40, 0.5),
    # Sports & Outdoors
    _n("Fitness", "Sports & Outdoors", "Yoga Mat|Dumbbell Set|Resistance Bands|Kettlebell",
       "Non-Slip|Adjustable|Heavy-Duty|Eco", 35, 0.55),
    _n("Cycling", "Sports & Outdoors", "Bike Helmet|Bike Light|Cycling Jersey|Saddle",
       "Aero|Reflective|Carbon|Road", 60, 0.6),
    _n("Camping", "Sports & Outdoors", "Tent|Sleeping Bag|Camping Stove|Headlamp",
       "2-Person|Ultralight|Insulated|Waterproof", 85, 0.6),
    _n("Running", "Sports & Outdoors", "Running Shoes|Running Vest|GPS Watch|Socks",
       "Trail|Breathable|Cushioned|Reflective", 70, 0.6),
    # Beauty & Personal Care
    _n("Skincare", "Beauty & Personal Care", "Moisturizer|Cleanser|Face Serum|Sunscreen",
       "Hydrating|Vitamin C|SPF 50|Fragrance-Free", 24, 0.5),
    _n("Haircare", "Beauty & Personal Care", "Shampoo|Conditioner|Hair Dryer|Hair Oil",
       "Repairing|Volumizing|Ionic|Argan", 18, 0.6),
    _n("Fragrances", "Beauty & Personal Care", "Eau de Parfum|Eau de Toilette|Body Mist",
       "Citrus|Woody|Floral|Amber", 65, 0.45),
    _n("Makeup", "Beauty & Personal Care", "Lipstick|Mascara|Foundation|Eyeshadow Palette",
       "Matte|Long-Lasting|Volumizing|Natural", 16, 0.45),
    # Toys & Games
    _n("Board Games", "Toys & Games", "Board Game|Card Game|Strategy Game",
       "Family|Party|Cooperative|Two-Player", 32, 0.4),
    _n("Building Sets", "Toys & Games", "Building Set|Construction Kit|Brick Set",
       "Creator|City|Space|Technic", 45, 0.6),
    _n("Dolls & Figures", "Toys & Games", "Action Figure|Doll|Plush Toy",
       "Collectible|Poseable|Soft|Mini", 20, 0.5),
    _n("Outdoor Toys", "Toys & Games", "Scooter|Trampoline|Water Blaster|Kite",
       "Kids|Foldable|Giant|Light-Up", 55, 0.7),
    # Books & Media
    _n("Fiction", "Books & Media", "Novel|Thriller|Short Stories", "Paperback|Hardcover|Signed",
       14, 0.3),
    _n("Non-Fiction", "Books & Media", "Cookbook|Biography|Travel Guide",
       "Paperback|Hardcover|Illustrated", 20, 0.35),
    _n("Music", "Books & Media", "Vinyl Record|CD Box Set|Songbook", "Remastered|Deluxe|Live",
       25, 0.4),
    _n("Video Games", "Books & Media", "Video Game|Game Controller|Gaming Headset",
       "Collector's|Wireless|Standard", 55, 0.45),
    # Grocery
    _n("Coffee & Tea", "Grocery", "Coffee Beans|Ground Coffee|Green Tea|Espresso Capsules",
       "Single-Origin|Dark Roast|Organic|Decaf", 12, 0.4),
    _n("Snacks", "Grocery", "Granola|Trail Mix|Chocolate Bar|Protein Bar",
       "Salted|Dark|Gluten-Free|Crunchy", 6, 0.4),
    _n("Pantry", "Grocery", "Olive Oil|Pasta|Honey|Spice Set", "Extra Virgin|Italian|Raw|Smoked",
       9, 0.45),
    # A third level under a few level-2 nodes, for bigger trees.
    _n("Android Phones", "Smartphones", "Android Phone|Smartphone",
       "5G|Dual-SIM|Foldable|Lite", 420, 0.55),
    _n("Phone Accessories", "Smartphones", "Phone Case|Screen Protector|Wireless Charger",
       "MagSafe|Rugged|Tempered Glass|Slim", 18, 0.5),
    _n("Gaming Laptops", "Laptops", "Gaming Laptop", "RTX|144Hz|17-inch|15-inch", 1450, 0.35),
    _n("Laptop Accessories", "Laptops", "Laptop Sleeve|Docking Station|Laptop Stand",
       "USB-C|Aluminium|Padded|Adjustable", 38, 0.5),
    _n("Trail Running Shoes", "Running", "Trail Shoes", "Grippy|Waterproof|Cushioned", 120, 0.3),
    _n("Espresso Machines", "Small Appliances", "Espresso Machine|Milk Frother|Coffee Grinder",
       "Dual-Boiler|Manual|Burr|Automatic", 260, 0.6),
    _n("Sneakers", "Shoes", "Sneakers|Trainers|High-Tops", "Retro|Leather|Knit|Platform", 90,
       0.4),
)

MODEL_CODES = ("S", "X", "Pro", "Max", "Air", "One", "Neo", "Go", "Plus", "Mini", "Ultra", "Prime")

BRAND_PREFIXES = (
    "Nor", "Vel", "Astra", "Lumi", "Kin", "Zen", "Orbi", "Tex", "Bri", "Cal", "Mon", "Sol", "Ver",
    "Axi", "Pol", "Quan", "Hel", "Tor", "Vita", "Ember", "Nova", "Peak", "Oak", "Silva", "Mar",
    "Fjor", "Aero", "Terra", "Luma", "Kora",
)
BRAND_SUFFIXES = (
    "dex", "ora", "ix", "vik", "ia", "tron", "ella", "ano", "wave", "line", "craft", "forge", "ly",
    "lab", "ium", "stone", "field", "nest", "well", "mark",
)
BRAND_COUNTRIES = (
    "United States", "Germany", "Japan", "South Korea", "Italy", "France", "Sweden", "China",
    "United Kingdom", "Denmark", "Switzerland", "Netherlands", "Spain", "Taiwan", "Canada",
)

SELLER_NAME_SUFFIXES = (
    "Store", "Outlet", "Trading", "Goods", "Supply", "Direct", "Depot", "Market", "Shop", "House",
)


@dataclass(frozen=True)
class PromotionTemplate:
    name: str
    month: int
    day: int
    length_days: int
    discount_type: str
    # Whole percents for percentage, currency units for fixed_amount.
    low: int
    high: int


PROMOTION_CALENDAR: tuple[PromotionTemplate, ...] = (
    PromotionTemplate("New Year Sale", 1, 2, 10, "percentage", 10, 25),
    PromotionTemplate("Valentine's Day Deals", 2, 7, 8, "fixed_amount", 5, 15),
    PromotionTemplate("Spring Sale", 3, 20, 14, "percentage", 10, 30),
    PromotionTemplate("Easter Specials", 4, 1, 10, "fixed_amount", 3, 12),
    PromotionTemplate("Mother's Day Gifts", 5, 1, 12, "percentage", 10, 20),
    PromotionTemplate("Summer Sale", 7, 1, 21, "percentage", 15, 40),
    PromotionTemplate("Back to School", 8, 10, 21, "fixed_amount", 5, 20),
    PromotionTemplate("Autumn Deals", 9, 15, 14, "percentage", 10, 25),
    PromotionTemplate("Singles' Day", 11, 10, 3, "percentage", 11, 30),
    PromotionTemplate("Black Friday", 11, 24, 5, "percentage", 20, 50),
    PromotionTemplate("Cyber Monday", 11, 29, 3, "fixed_amount", 10, 30),
    PromotionTemplate("Christmas Sale", 12, 1, 20, "percentage", 10, 30),
    PromotionTemplate("Boxing Day", 12, 26, 6, "percentage", 20, 60),
)
