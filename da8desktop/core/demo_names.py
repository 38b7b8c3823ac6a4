"""Name material for the demo commune, by ethnic group of the north-west (2008 codes).

Real naming patterns, invented people: Thái families Lò, Lường, Quàng…; Mông families Giàng,
Sùng, Vàng… with middle names like "Seo", "A", "Mí"; Dao families Triệu, Bàn, Đặng…
"""

from __future__ import annotations

# code (2008 list) -> (weight, family names, female middles, male middles, female given, male given)
ETHNIC_NAMES: dict[str, tuple[int, list[str], list[str], list[str], list[str], list[str]]] = {
    "03": (34, ["Lò", "Lường", "Quàng", "Cầm", "Tòng", "Lù", "Vì", "Điêu", "Hoàng", "Bạc"],
           ["Thị"], ["Văn"],
           ["Xuân", "Ơn", "Hoa", "Lả", "Ngoan", "Thoa", "Ánh", "Duyên", "Hương", "Pọm", "Ín", "Hoà"],
           ["Tiến", "Ún", "Thanh", "Xôm", "Pâng", "Hải", "Dũng", "Chiến", "Khánh", "Ngọc"]),
    "08": (30, ["Giàng", "Sùng", "Vàng", "Thào", "Lầu", "Mùa", "Hạng", "Sình", "Lý", "Cứ"],
           ["Thị", "Mí", "Thị"], ["A", "Seo", "Văn", "A"],
           ["Mỷ", "Dở", "Pà", "Sua", "Chía", "Mai", "Dua", "Say", "Lan", "Sông"],
           ["Páo", "Chứ", "Dình", "Sử", "Chá", "Tủa", "Lử", "Nhìa", "Pó", "Vư"]),
    "09": (10, ["Triệu", "Bàn", "Đặng", "Lý", "Phùng", "Chảo", "Tẩn"],
           ["Thị", "Mùi", "Tả"], ["Văn", "Láo", "Kim"],
           ["Mẩy", "Chài", "Kiều", "Nhất", "Slinh", "Mai", "Lai"],
           ["Phẩy", "Quẩy", "Vần", "Sành", "Chòi", "Tòng"]),
    "02": (8, ["Hoàng", "Nông", "Lương", "Ma", "La", "Hà", "Lục"],
           ["Thị"], ["Văn", "Đức"],
           ["Hằng", "Huyền", "Nhung", "Thúy", "Thủy", "Liên"], ["Tuấn", "Hùng", "Quân", "Thắng"]),
    "01": (10, ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"],
           ["Thị", "Thu", "Thanh", "Ngọc"], ["Văn", "Đức", "Minh", "Quang"],
           ["Hạnh", "Lan", "Hà", "Thủy", "Nga", "Hằng", "Yến", "Thuỷ", "Dung"],
           ["Hùng", "Nam", "Tuấn", "Long", "Bình", "Đức", "Sơn"]),
    "33": (5, ["Chu", "Lỳ", "Pờ", "Phu", "Sừ", "Hờ"], ["Mó", "Me", "Thị"], ["Hà", "Xá", "Lò"],
           ["Chà", "Xe", "Só", "Hờ", "Mé"], ["Lò", "Phì", "Xá", "Giờ", "Hừ"]),
    "23": (3, ["Lò", "Vi", "Quàng", "Tòng"], ["Thị"], ["Văn"],
           ["Phin", "Ẻ", "Xiên", "Ón"], ["Pền", "Ỏn", "Bun", "Ích"]),
}

VILLAGE_NAMES = [
    "Bản Nà Sản", "Bản Che Căn", "Bản Nà Nhạn", "Bản Hua Pe", "Bản Pá Khôm", "Bản Tân Bình",
    "Bản Hin Phăng", "Bản Co Cượm", "Bản Nà Luống", "Bản Khá", "Bản Phăng", "Bản Cang",
    "Bản Bó", "Bản Kéo", "Bản Xôm", "Bản Nong Bua", "Bản Pú Xi", "Thôn Huổi Hốc",
    "Bản Xá Nhè", "Bản Nậm Ngám", "Bản Tả Phình", "Bản Sín Chải", "Bản Háng Lìa", "Bản Pú Nhung",
]

# {place} is the commune's name without "Xã"/"Phường": the demo fits whichever commune it fills.
SCHOOLS = ["Trường PTDTBT THCS {place}", "Trường Tiểu học và THCS số 2 {place}"]
SUPPORT_ITEMS = [("Thiết kế nhãn mác, bao bì", 15_000_000), ("Tem truy xuất nguồn gốc QR", 5_000_000),
                 ("Hỗ trợ đánh giá OCOP 3 sao", 20_000_000), ("Gian hàng thương mại điện tử", 8_000_000)]
SUPPORT_KINDS = {"Thiết kế nhãn mác, bao bì": "support_kind:THUONG_HIEU",
                 "Tem truy xuất nguồn gốc QR": "support_kind:QR",
                 "Hỗ trợ đánh giá OCOP 3 sao": "support_kind:OCOP",
                 "Gian hàng thương mại điện tử": "support_kind:TMDT"}
