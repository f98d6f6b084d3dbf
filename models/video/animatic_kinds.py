"""The subject words the animatic knows, and the kinds they are drawn as (animatic_figures, animatic_vehicles,
animatic_products): read by animatic_facts.subject_kinds. Kept apart from the reading so each stays readable.
"""

from __future__ import annotations

# fmt: off
# Subject words → kinds that animatic_figures can draw. Groups are several kinds.
GROUPS: dict[str, tuple[str, ...]] = {
    "family": ("man", "woman", "girl", "boy"), "couple": ("man", "woman"), "parents": ("man", "woman"),
    "children": ("boy", "girl"), "kids": ("girl", "boy"), "people": ("man", "woman", "man", "woman"),
    "crowd": ("man", "woman", "boy", "man", "woman"), "villagers": ("man", "woman", "man", "woman"),
    "friends": ("woman", "man", "woman"), "group": ("man", "woman", "man"), "team": ("man", "woman", "man"),
    "tourists": ("woman", "man", "woman"), "students": ("girl", "boy", "girl"), "fishermen": ("fisherman", "fisherman"),
    "family members": ("man", "woman", "girl", "boy"), "animals": ("rabbit", "squirrel"),
    "small animals": ("rabbit", "squirrel", "bird"), "wildlife": ("deer", "rabbit", "bird"),
    "creatures": ("rabbit", "squirrel"), "livestock": ("cow", "sheep"), "herd": ("cow", "cow", "cow"),
    "brother and sister": ("boy", "girl"), "siblings": ("girl", "boy"), "twins": ("boy", "girl"),
}
SUBJECT_KINDS: dict[str, tuple[str, ...]] = {
    # people by role
    "man": ("man", "person", "guy", "gentleman", "husband", "father", "dad", "son", "brother", "stranger", "hero",
            "traveller", "traveler", "visitor", "customer", "king", "prince", "writer", "author", "artist", "painter",
            "teacher", "scientist", "engineer", "boss", "manager", "driver", "pilot", "musician", "villager", "figure",
            "owner", "shopkeeper", "merchant", "monk", "poet", "inventor", "neighbour", "neighbor", "passenger",
            "friend", "men", "gentlemen"),
    "woman": ("woman", "lady", "wife", "mother", "mom", "mum", "sister", "queen", "princess", "bride",
              "dancer", "singer", "heroine", "actress", "waitress", "shop assistant", "sales assistant", "clerk",
              "receptionist", "saleswoman", "shop girl", "women", "ladies"),
    "girl": ("girl", "daughter", "schoolgirl", "little girl", "granddaughter"),
    "boy": ("boy", "child", "kid", "schoolboy", "little boy", "toddler", "baby", "grandson", "grandchild"),
    "elder": ("old man", "grandfather", "grandpa", "elder", "elderly man", "old-timer", "hermit", "sage"),
    "oldwoman": ("old woman", "grandmother", "grandma", "granny", "elderly woman", "old lady"),
    "fisherman": ("fisherman", "fisher", "sailor", "captain", "seaman", "skipper", "boatman", "ferryman", "angler"),
    "keeper": ("keeper", "lighthouse keeper", "guard", "watchman", "caretaker", "ranger", "conductor", "officer",
               "policeman", "police officer", "soldier", "postman", "mailman"),
    "explorer": ("explorer", "hiker", "adventurer", "trekker", "backpacker", "camper", "climber", "mountaineer",
                 "scout", "wanderer", "researcher", "naturalist", "photographer", "student"),
    "farmer": ("farmer", "gardener", "shepherd", "cowboy", "peasant", "rancher", "herder"),
    "chef": ("chef", "cook", "baker", "barista", "waiter"),
    # medical people read as such (animatic_medical), not as a chef in a tall white hat
    "doctor": ("doctor", "physician", "surgeon", "dentist", "pharmacist", "vet", "veterinarian", "medic",
               "paramedic", "gp"),
    "nurse": ("nurse", "midwife", "nurses"),
    "worker": ("worker", "builder", "craftsman", "carpenter", "mechanic", "blacksmith", "technician", "firefighter",
               "miner", "labourer", "laborer", "welder"),
    "runner": ("runner", "athlete", "jogger", "cyclist", "player", "footballer", "swimmer", "skier", "surfer"),
    "robot": ("robot", "android", "droid", "cyborg"),
    # a snowman is no man: balls of snow with a carrot nose (animatic_snowman), not a person
    "snowman": ("snowman", "snowmen", "snow man", "snow figure"),
    # animals
    "cat": ("cat", "kitten", "kitty"), "dog": ("dog", "puppy", "hound", "wolf", "pup"), "fox": ("fox",),
    "rabbit": ("rabbit", "hare", "bunny"), "squirrel": ("squirrel", "chipmunk"),
    "deer": ("deer", "stag", "doe", "fawn", "elk", "moose", "reindeer", "antelope"),
    "horse": ("horse", "pony", "donkey", "mule", "zebra", "camel"), "cow": ("cow", "ox", "bull", "cattle", "buffalo", "yak"),
    "sheep": ("sheep", "lamb", "goat"), "bear": ("bear",), "panda": ("panda", "giant panda", "red panda"), "pig": ("pig", "boar", "piglet"),
    "mouse": ("mouse", "hedgehog", "rat", "mole"), "bird": ("bird", "crow", "eagle", "gull", "seagull", "sparrow",
            "owl", "hawk", "pigeon", "dove", "swallow", "parrot", "robin", "crane", "heron", "birds", "flock"),
    "duck": ("duck", "swan", "goose", "duckling"), "fish": ("fish", "dolphin", "whale", "salmon", "carp", "koi", "shark"),
    "seal": ("seal", "seal pup", "seals", "grey seal", "sea lion", "walrus"),
    "butterfly": ("butterfly", "moth", "bee", "dragonfly"), "frog": ("frog", "toad", "turtle", "tortoise"),
    # vehicles
    "boat": ("boat", "sailboat", "sailing boat", "yacht", "ship", "sloop", "schooner", "ferry", "vessel"),
    "fishingboat": ("fishing boat", "trawler", "rowboat", "rowing boat", "skiff", "dinghy", "canoe", "kayak",
                    "small boat", "fishing vessel", "raft", "motorboat", "punt", "sampan", "lifeboat"),
    "car": ("car", "taxi", "jeep", "van", "suv", "sedan", "automobile", "vehicle"), "bus": ("bus", "truck", "lorry", "tram"),
    "bicycle": ("bicycle", "bike", "motorbike", "motorcycle", "scooter"), "train": ("train", "locomotive", "railway"),
    "plane": ("plane", "airplane", "aeroplane", "aircraft", "jet", "airliner", "helicopter"),
    # buildings standing in the scene
    "house": ("house", "cottage", "home", "hut", "barn", "cabin", "farmhouse", "shed", "shop", "bakery"),
    "tent": ("tent", "campsite"), "lighthouse": ("lighthouse", "beacon", "tower"),
    # a fruit tree is one tree in the yard, its fruit showing (not a forest); persimmons hang on theirs
    "fruittree": ("fruit tree", "persimmon tree", "apple tree", "peach tree", "pear tree", "orange tree",
                  "cherry tree", "pomegranate tree", "jujube tree", "lemon tree", "persimmon", "persimmons",
                  "柿子树", "苹果树", "桃树", "柿子"),
    # a kite: a diamond with its tail, flown in the sky, caught in a tree or held (animatic_kite)
    "kite": ("kite", "kites", "paper kite", "风筝"),
    "tree": ("tree", "oak", "pine", "willow", "birch", "maple", "bamboo", "palm"), "flower": ("flower", "flowers", "bouquet", "rose", "tulip", "sunflower"),
    "campfire": ("campfire", "bonfire", "fire"),
    # objects and products
    "bottle": ("bottle", "message in a bottle", "perfume", "wine", "water bottle", "flask", "potion", "shampoo",
               "sauce", "serum", "lotion"),
    "phone": ("phone", "smartphone", "mobile", "cellphone", "mobile phone", "tablet", "ipad", "remote"),
    "watch": ("watch", "smartwatch", "wristwatch", "clock", "compass", "fitness tracker"),
    # ("a drink", not the verb: "finds a pond and drinks" is no mug)
    "cup": ("cup", "mug", "coffee", "tea", "teacup", "latte", "espresso", "glass", "a drink", "cold drink", "hot drink"),
    "can": ("can", "soda", "tin", "energy drink", "beer"), "box": ("box", "package", "parcel", "gift", "present", "chest",
            "crate", "packaging", "carton", "cereal"),
    "shoe": ("shoe", "sneaker", "trainer", "boot", "sandal", "sneakers", "shoes", "running shoe"),
    "book": ("book", "notebook", "diary", "journal", "novel", "album"),
    "letter": ("letter", "message", "note", "envelope", "map", "postcard", "paper", "scroll", "card", "ticket"),
    "lamp": ("lamp", "lantern", "candle", "torch", "flashlight", "light bulb", "lightbulb"),
    "laptop": ("laptop", "computer", "notebook computer", "monitor", "screen", "tv", "television", "camera"),
    "headphones": ("headphones", "headphone", "earbuds", "headset", "earphones"),
    "bag": ("bag", "handbag", "backpack", "suitcase", "purse", "wallet", "basket"),
    "jar": ("jar", "honey", "jam", "cream", "cosmetic", "lipstick", "tube", "toothpaste", "candle jar", "pot"),
    "ball": ("ball", "football", "basketball", "apple", "orange", "fruit", "egg", "globe", "planet"),
    "bread": ("bread", "loaf", "cake", "pie", "croissant", "bun", "pastry", "pizza", "sandwich", "burger"),
}
# Object kinds: a close-up with one of these and no place is a product shot on a clean backdrop.
OBJECTS = frozenset({"teabottle", "teacup", "bottle", "phone", "watch", "cup", "can", "box", "shoe", "book", "letter", "lamp", "laptop",
                     "headphones", "bag", "jar", "ball", "bread"})
PEOPLE = frozenset({"man", "woman", "girl", "boy", "elder", "oldwoman", "fisherman", "keeper", "explorer", "farmer",
                    "chef", "doctor", "nurse", "worker", "runner", "robot"})
BOATS = frozenset({"boat", "fishingboat"})
ON_WATER = BOATS | {"duck", "fish"}
IN_SKY = frozenset({"bird", "plane", "butterfly"})
# fmt: on
