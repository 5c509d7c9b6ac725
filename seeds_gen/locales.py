"""The locales ecom-synth supports, and where Faker's data for one is thin or wrong, the fix.

Faker gives believable people for most locales, but not all: some locales invent cities
("Wilsontown" for en_US, "Didier" for fr_FR), some have a handful of names (vi_VN's first names
are "John" and "Jane", ja_JP has 51), and ar_SA inherits the United States' country, cities and
phones. Each supported locale below says what replaces what. The place lists are the largest
cities or the provinces of the country (from its statistics office's population tables:
US Census Bureau, ONS, INSEE, IBGE, GASTAT, Census of India); the name lists are the most common
names of the country (its civil registries' rankings); phone formats follow the national
numbering plan (ITU-T E.164 country code, then national formats). Values are facts, written
here in the country's script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Faker = Any  # faker.Faker, imported by the caller (a 0.4 s import)


@dataclass(frozen=True)
class LocaleFix:
    """What replaces or extends Faker's pools for one locale (empty: Faker as it is)."""

    country: str | None = None
    # Real places of the country, replacing Faker's city() (None: Faker's city()).
    places: Callable[[Faker], Sequence[str]] | None = None
    # Added to Faker's first and last names (distinct values are kept once); Faker's first
    # names left out where they are wrong (faker_first_names False).
    first_names: Callable[[Faker], Sequence[str]] | None = None
    faker_first_names: bool = True
    last_names: Callable[[Faker], Sequence[str]] = field(default=lambda fake: ())
    # numerify() formats ('#' a digit, '%' a digit 1-9) replacing Faker's phone_number().
    phone_formats: tuple[str, ...] = ()


def _provider(fake: Faker, kind: str) -> Any:
    return next(p for p in fake.providers if type(p).__module__.split(".")[-2] == kind)


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(",") if w.strip())


US_CITIES = _words("""New York, Los Angeles, Chicago, Houston, Phoenix, Philadelphia, San Antonio,
San Diego, Dallas, Jacksonville, Fort Worth, San Jose, Austin, Charlotte, Columbus, Indianapolis,
San Francisco, Seattle, Denver, Oklahoma City, Nashville, Washington, El Paso, Las Vegas, Boston,
Detroit, Portland, Louisville, Memphis, Baltimore, Milwaukee, Albuquerque, Tucson, Fresno,
Sacramento, Mesa, Atlanta, Kansas City, Colorado Springs, Omaha, Raleigh, Miami, Virginia Beach,
Long Beach, Oakland, Minneapolis, Bakersfield, Tulsa, Tampa, Arlington, Wichita, Aurora,
New Orleans, Cleveland, Honolulu, Anaheim, Henderson, Orlando, Lexington, Stockton, Riverside,
Irvine, Corpus Christi, Newark, Santa Ana, Cincinnati, Pittsburgh, Saint Paul, Greensboro,
Jersey City, Durham, Lincoln, North Las Vegas, Plano, Anchorage, Gilbert, Madison, Reno,
Chandler, St. Louis, Chula Vista, Buffalo, Fort Wayne, Lubbock, St. Petersburg, Toledo, Laredo,
Port St. Lucie, Glendale, Irving, Winston-Salem, Chesapeake, Garland, Scottsdale, Boise,
Hialeah, Frisco, Richmond, Cape Coral, Norfolk, Spokane, Huntsville, Santa Clarita, Tacoma,
Fremont, McKinney, San Bernardino, Baton Rouge, Modesto, Fontana, Salt Lake City, Moreno Valley,
Des Moines, Worcester, Yonkers, Fayetteville, Sioux Falls, Grand Prairie, Rochester,
Tallahassee, Little Rock, Amarillo, Overland Park, Augusta, Mobile, Oxnard, Grand Rapids,
Peoria, Vancouver, Knoxville, Birmingham, Montgomery, Providence, Huntington Beach, Brownsville,
Chattanooga, Fort Lauderdale, Tempe, Akron, Clarksville, Ontario, Newport News, Elk Grove,
Cary, Eugene, Salem, Pembroke Pines, Springfield, Rockford, Savannah""")

UK_TOWNS = _words("""London, Birmingham, Manchester, Glasgow, Leeds, Liverpool, Newcastle upon Tyne,
Sheffield, Bristol, Edinburgh, Leicester, Nottingham, Cardiff, Belfast, Coventry, Bradford,
Stoke-on-Trent, Wolverhampton, Plymouth, Southampton, Reading, Derby, Swansea, Aberdeen,
Portsmouth, Dundee, Northampton, Luton, Milton Keynes, Brighton, Norwich, Sunderland, Preston,
Bournemouth, Peterborough, Swindon, Southend-on-Sea, Huddersfield, Oxford, Middlesbrough,
Blackpool, Bolton, Ipswich, York, West Bromwich, Slough, Poole, Cambridge, Telford, Exeter,
Gloucester, Crawley, Chelmsford, Blackburn, Colchester, Basildon, Warrington, Stockport,
Rotherham, Oldham, Wigan, Worthing, Salford, St Albans, Wakefield, Bath, Lincoln, Chester,
Carlisle, Durham, Inverness, Stirling, Perth, Newport, Wrexham, Derry, Lisburn, Canterbury,
Winchester, Hereford, Worcester, Harrogate, Guildford, Maidstone, Watford, High Wycombe""")

FR_CITIES = _words("""Paris, Marseille, Lyon, Toulouse, Nice, Nantes, Montpellier, Strasbourg,
Bordeaux, Lille, Rennes, Reims, Toulon, Saint-Étienne, Le Havre, Grenoble, Dijon, Angers,
Villeurbanne, Nîmes, Clermont-Ferrand, Saint-Denis, Aix-en-Provence, Le Mans, Brest, Tours,
Amiens, Limoges, Annecy, Perpignan, Boulogne-Billancourt, Metz, Besançon, Orléans, Rouen,
Argenteuil, Mulhouse, Montreuil, Caen, Nancy, Tourcoing, Roubaix, Nanterre, Vitry-sur-Seine,
Avignon, Créteil, Poitiers, Dunkerque, Aubervilliers, Versailles, Aulnay-sous-Bois,
Asnières-sur-Seine, Colombes, Pau, Rueil-Malmaison, La Rochelle, Antibes, Calais, Cannes,
Béziers, Colmar, Bourges, Drancy, Mérignac, Ajaccio, Saint-Nazaire, Valence, Quimper, Troyes,
Niort, Chambéry, Lorient, Cholet, Vannes, Bayonne, Arles, Chartres, Laval, Cherbourg-en-Cotentin,
Saint-Malo, Angoulême, Belfort, Évreux, Charleville-Mézières, Tarbes, Bastia, Albi, Montauban,
Carcassonne, Périgueux, Blois, Châteauroux, Agen, Brive-la-Gaillarde, Saint-Quentin, Sète""")

BR_CITIES = _words("""São Paulo, Rio de Janeiro, Brasília, Salvador, Fortaleza, Belo Horizonte,
Manaus, Curitiba, Recife, Goiânia, Belém, Porto Alegre, Guarulhos, Campinas, São Luís,
São Gonçalo, Maceió, Duque de Caxias, Campo Grande, Natal, Teresina, São Bernardo do Campo,
Nova Iguaçu, João Pessoa, Santo André, Osasco, São José dos Campos, Jaboatão dos Guararapes,
Ribeirão Preto, Uberlândia, Contagem, Sorocaba, Aracaju, Feira de Santana, Cuiabá, Joinville,
Juiz de Fora, Londrina, Aparecida de Goiânia, Niterói, Ananindeua, Porto Velho, Serra,
Caxias do Sul, Campos dos Goytacazes, Florianópolis, Macapá, Vila Velha, Mauá,
São João de Meriti, Santos, Mogi das Cruzes, Betim, Diadema, Campina Grande, Jundiaí, Maringá,
Montes Claros, Piracicaba, Carapicuíba, Olinda, Cariacica, Rio Branco, Anápolis, Bauru, Vitória,
Caucaia, Itaquaquecetuba, São Vicente, Caruaru, Vitória da Conquista, Blumenau, Franca, Pelotas,
Ponta Grossa, Canoas, Petrolina, Boa Vista, Paulista, Uberaba, Cascavel, Guarujá, Palmas,
Taubaté, Limeira, Petrópolis, Santarém, Camaçari, Mossoró, Suzano, Governador Valadares""")

SA_CITIES = _words("""الرياض, جدة, مكة المكرمة, المدينة المنورة, الدمام, الطائف, تبوك, بريدة,
خميس مشيط, الهفوف, المبرز, حفر الباطن, حائل, نجران, الجبيل, أبها, ينبع, الخبر, عنيزة, عرعر,
سكاكا, جازان, القطيف, الظهران, الباحة, الخرج, بيشة, الرس, القريات, صبيا, الدوادمي, المجمعة,
الزلفي, رابغ, القنفذة, محايل عسير, شرورة, طريف, الأحساء, رأس تنورة, أملج, الوجه, ضباء, بقيق""")

IN_CITIES = _words("""मुंबई, दिल्ली, बेंगलुरु, हैदराबाद, अहमदाबाद, चेन्नई, कोलकाता, पुणे, जयपुर,
लखनऊ, कानपुर, नागपुर, इंदौर, ठाणे, भोपाल, विशाखापत्तनम, पटना, वडोदरा, गाज़ियाबाद, लुधियाना,
आगरा, नासिक, फ़रीदाबाद, मेरठ, राजकोट, वाराणसी, श्रीनगर, औरंगाबाद, धनबाद, अमृतसर, प्रयागराज,
रांची, हावड़ा, जबलपुर, ग्वालियर, जोधपुर, रायपुर, कोटा, चंडीगढ़, गुवाहाटी, सोलापुर, बरेली,
मुरादाबाद, मैसूरु, अलीगढ़, जालंधर, भुवनेश्वर, देहरादून, उदयपुर, अजमेर, गोरखपुर, बीकानेर,
झांसी, कोच्चि, तिरुवनंतपुरम, कोयंबटूर, मदुरै, विजयवाड़ा, जम्मू, शिमला, पणजी, सूरत""")

JP_SURNAMES = _words("""佐藤, 鈴木, 高橋, 田中, 伊藤, 渡辺, 山本, 中村, 小林, 加藤, 吉田, 山田,
佐々木, 山口, 松本, 井上, 木村, 林, 斎藤, 清水, 山崎, 森, 池田, 橋本, 阿部, 石川, 山下, 中島,
石井, 小川, 前田, 岡田, 長谷川, 藤田, 後藤, 近藤, 村上, 遠藤, 青木, 坂本, 福田, 太田, 西村,
藤井, 金子, 岡本, 藤原, 中野, 三浦, 原田, 中川, 松田, 竹内, 小野, 田村, 中山, 和田, 石田, 森田,
上田, 原, 内田, 柴田, 酒井, 宮崎, 横山, 高木, 安藤, 宮本, 大野, 小島, 谷口, 工藤, 高田, 増田,
丸山, 今井, 杉山, 村田, 大塚, 新井, 小山, 平野, 藤本, 河野, 上野, 野口, 武田, 松井, 千葉, 岩崎,
菅原, 木下, 久保, 佐野, 野村, 松尾, 菊地, 市川, 杉本, 古川, 大西, 島田, 水野, 桜井, 高野, 渡部,
吉川, 山内, 西田, 飯田""")

JP_GIVEN_NAMES = _words("""蓮, 大翔, 陽翔, 湊, 悠真, 樹, 大和, 陽斗, 颯, 律, 蒼, 悠人, 結翔,
太一, 健太, 大輔, 拓也, 翔太, 和也, 達也, 直樹, 誠, 浩, 隆, 博, 健一, 一郎, 修, 勇, 剛, 雄一,
亮, 聡, 哲也, 秀樹, 正樹, 慎也, 隼人, 陸, 海斗, 優斗, 颯太, 陽太, 奏太, 大地, 拓海, 翼, 智也,
康介, 洋平, 陽葵, 凛, 結菜, 葵, 結愛, 莉子, 芽依, 紬, 澪, さくら, 美咲, 陽菜, 結衣, 七海, 花,
愛, 優奈, 美月, 彩, 真由美, 恵子, 洋子, 幸子, 久美子, 由美, 明美, 裕子, 直子, 智子, 美香, 香織,
愛子, 舞, 麻衣, 沙織, 奈々, 千尋, 彩花, 美穂, 理恵, 恵美, 真理子, 早苗, 絵美, 友美, 亜美, 瞳,
楓, 心春""")

VN_SURNAMES = _words("""Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô,
Dương, Lý, Đinh, Trương, Lâm, Đoàn, Cao, Hà, Tô, Lưu, Tạ, Châu, Quách, Vương, Trịnh, Mai, Kiều""")


VN_MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Mai", "Xuân", "Bảo")
VN_MIDDLE_MALE = ("Văn", "Đức", "Quang", "Hữu", "Minh", "Thế", "Tấn", "Hoàng")


def _vietnamese_given_names(fake: Faker) -> list[str]:
    """Vietnamese given names are a middle name and a name ("Văn Minh", "Thị Lan"): Faker's
    vi_VN names by gender (its first_names alone are "John" and "Jane"), each with middle names
    of that gender, women and men alternating."""
    person = _provider(fake, "person")
    female = dict.fromkeys((*person.first_names_female, *person.first_names_unisex))
    male = dict.fromkeys((*person.first_names_male, *person.first_names_unisex))
    women = [f"{middle} {name}" for middle in VN_MIDDLE_FEMALE for name in female]
    men = [f"{middle} {name}" for middle in VN_MIDDLE_MALE for name in male]
    return [name for pair in zip(women, men, strict=False) for name in pair]


def _vietnamese_places(fake: Faker) -> list[str]:
    address = _provider(fake, "address")
    return list(dict.fromkeys((*address.cities, *address.provinces)))


def _arabic_last_names(fake: Faker) -> list[str]:
    """ar_SA's family names are 44 tribal names; the region's ar_AA list adds common ones."""
    from faker import Faker as Faker_

    return list(_provider(Faker_("ar_AA"), "person").last_names)


def _fixed(values: tuple[str, ...]) -> Callable[[Faker], Sequence[str]]:
    return lambda fake: values


SUPPORTED_LOCALES: dict[str, LocaleFix] = {
    "en_US": LocaleFix(places=_fixed(US_CITIES)),
    "en_GB": LocaleFix(places=_fixed(UK_TOWNS)),
    # Faker's de_DE and nl_NL formats include "(00720) 392310" and "007-6295747".
    "de_DE": LocaleFix(phone_formats=("+49 (0)%## #######", "0%## #######", "+49 15# ########",
                                      "015# ########", "030 ########", "089 #######",
                                      "+49 40 ########")),
    "fr_FR": LocaleFix(places=_fixed(FR_CITIES)),
    "es_ES": LocaleFix(),
    "it_IT": LocaleFix(),
    "pt_BR": LocaleFix(places=_fixed(BR_CITIES)),
    "nl_NL": LocaleFix(country="Netherlands",
                       phone_formats=("06-########", "+31 6 ########", "020-#######",
                                      "010-#######", "+31 20 #######", "0%## ######")),
    "pl_PL": LocaleFix(),
    "ja_JP": LocaleFix(first_names=_fixed(JP_GIVEN_NAMES), last_names=_fixed(JP_SURNAMES),
                       phone_formats=("070-####-####", "080-####-####", "090-####-####",
                                      "03-####-####", "06-####-####", "0%#-###-####")),
    "zh_CN": LocaleFix(country="China", places=lambda fake: _provider(fake, "address").cities),
    "ko_KR": LocaleFix(),
    "vi_VN": LocaleFix(places=_vietnamese_places, first_names=_vietnamese_given_names,
                       faker_first_names=False,
                       last_names=_fixed(VN_SURNAMES),
                       phone_formats=("+84 9# ### ## ##", "09# ### ####", "+84 3# ### ####",
                                      "08# ### ####", "+84 24 #### ####", "028 #### ####")),
    "hi_IN": LocaleFix(places=_fixed(IN_CITIES),
                       phone_formats=("+91 9#### #####", "+91 8#### #####", "+91 7#### #####",
                                      "09#########", "+91 6#### #####", "011 2### ####")),
    "ar_SA": LocaleFix(country="Saudi Arabia", places=_fixed(SA_CITIES),
                       last_names=_arabic_last_names,
                       phone_formats=("+966 5# ### ####", "05# ### ####", "+966 11 ### ####",
                                      "012 ### ####", "+966 13 ### ####")),
    "th_TH": LocaleFix(),
}


def is_supported(locale: str) -> bool:
    return locale in SUPPORTED_LOCALES


def fix_for(locale: str) -> LocaleFix:
    """The locale's fix; Faker as it is for a locale outside the list."""
    return SUPPORTED_LOCALES.get(locale, LocaleFix())
