package main

// Labeling words in six languages the classifier does not detect — Korean,
// Turkish, Dutch, Polish, Indonesian and Vietnamese — written here (see
// mclabel.go). Fewer of each than for the detected languages.

var mclKorean = mclLang{
	asks: map[string][]string{
		"sentiment": {"다음 {k}의 감정을 분류해 주세요.", "이 {k}는 긍정적인가요, 부정적인가요?"},
		"topic":     {"이 {k}는 어느 분야에 속하나요?"},
		"intent":    {"고객이 이 {k}에서 원하는 것은 무엇인가요?"},
		"emotion":   {"이 {k}에 드러난 감정을 고르세요."},
	},
	labels: map[string][][]string{
		"sentiment": {{"긍정", "부정", "중립"}},
		"topic":     {{"정치", "경제", "스포츠", "과학"}},
		"intent":    {{"환불", "배송 문의", "계정 문제", "기타"}},
		"emotion":   {{"기쁨", "분노", "슬픔", "두려움"}},
	},
	items: []mclItem{
		{"sentiment", "리뷰", "배송이 빠르고 포장도 꼼꼼했어요."},
		{"sentiment", "후기", "사진과 색이 완전히 달라서 실망했습니다."},
		{"topic", "기사 제목", "국회, 내년도 예산안 통과"},
		{"intent", "문의", "결제는 됐는데 주문 내역이 보이지 않아요."},
		{"emotion", "글", "드디어 합격 소식을 들었다!"},
	},
	quotes: [][2]string{{"\"", "\""}, {"「", "」"}, {"내용: ", ""}},
}

var mclTurkish = mclLang{
	asks: map[string][]string{
		"sentiment": {"Bu {k} olumlu mu olumsuz mu?", "Aşağıdaki {k} duygusunu sınıflandır."},
		"topic":     {"Bu {k} hangi kategoriye ait?"},
		"intent":    {"Müşteri bu {k} ile ne istiyor?"},
		"emotion":   {"Bu {k} hangi duyguyu ifade ediyor?"},
	},
	labels: map[string][][]string{
		"sentiment": {{"olumlu", "olumsuz", "nötr"}},
		"topic":     {{"siyaset", "ekonomi", "spor", "teknoloji"}},
		"intent":    {{"iade", "kargo", "hesap sorunu", "diğer"}},
		"emotion":   {{"sevinç", "öfke", "üzüntü", "korku"}},
	},
	items: []mclItem{
		{"sentiment", "yorum", "Ürün çok kaliteli, herkese tavsiye ederim."},
		{"sentiment", "yorum", "Kargo iki hafta sürdü ve kutu ezik geldi."},
		{"topic", "haber başlığı", "Merkez Bankası faizi sabit tuttu"},
		{"intent", "mesaj", "Siparişimi iptal etmek istiyorum."},
		{"emotion", "paylaşım", "Bugün ilk maaşımı aldım, çok mutluyum!"},
	},
	quotes: [][2]string{{"\"", "\""}, {"Metin: ", ""}},
}

var mclDutch = mclLang{
	asks: map[string][]string{
		"sentiment": {"Is deze {k} positief of negatief?", "Bepaal het sentiment van de {k}."},
		"topic":     {"In welke categorie hoort deze {k}?"},
		"intent":    {"Wat wil de klant met dit {k}?"},
		"emotion":   {"Welke emotie drukt dit {k} uit?"},
	},
	labels: map[string][][]string{
		"sentiment": {{"positief", "negatief", "neutraal"}},
		"topic":     {{"politiek", "economie", "sport", "technologie"}},
		"intent":    {{"terugbetaling", "levering", "account", "overig"}},
		"emotion":   {{"blijdschap", "boosheid", "verdriet", "angst"}},
	},
	items: []mclItem{
		{"sentiment", "recensie", "Snelle levering en het werkt precies zoals beloofd."},
		{"sentiment", "beoordeling", "Na twee dagen deed de oplader het al niet meer."},
		{"topic", "kop", "Kabinet presenteert plannen voor nieuwe woningen"},
		{"intent", "bericht", "Ik ben twee keer gefactureerd voor dezelfde bestelling."},
		{"emotion", "bericht", "We hebben eindelijk een huis gevonden!"},
	},
	quotes: [][2]string{{"\"", "\""}, {"‘", "’"}, {"Tekst: ", ""}},
}

var mclPolish = mclLang{
	asks: map[string][]string{
		"sentiment": {"Czy ta {k} jest pozytywna czy negatywna?", "Określ wydźwięk tej wypowiedzi."},
		"topic":     {"Do jakiej kategorii należy ta {k}?"},
		"intent":    {"Czego chce klient w tej wiadomości?"},
		"emotion":   {"Jaką emocję wyraża ta {k}?"},
	},
	labels: map[string][][]string{
		"sentiment": {{"pozytywna", "negatywna", "neutralna"}},
		"topic":     {{"polityka", "gospodarka", "sport", "technologia"}},
		"intent":    {{"zwrot", "dostawa", "konto", "inne"}},
		"emotion":   {{"radość", "złość", "smutek", "strach"}},
	},
	items: []mclItem{
		{"sentiment", "opinia", "Świetny produkt, działa bez zarzutu."},
		{"sentiment", "recenzja", "Obsługa była nieuprzejma, a jedzenie zimne."},
		{"topic", "wiadomość", "Rząd przyjął projekt budżetu na przyszły rok"},
		{"intent", "wiadomość", "Paczka nie dotarła, a minął już tydzień."},
		{"emotion", "wypowiedź", "Zdałam egzamin na prawo jazdy za pierwszym razem!"},
	},
	quotes: [][2]string{{"„", "”"}, {"Tekst: ", ""}},
}

var mclIndonesian = mclLang{
	asks: map[string][]string{
		"sentiment": {"Apakah {k} ini positif atau negatif?", "Tentukan sentimen dari {k} berikut."},
		"topic":     {"{k} ini termasuk kategori apa?"},
		"intent":    {"Apa yang diinginkan pelanggan dalam {k} ini?"},
		"emotion":   {"Emosi apa yang diungkapkan {k} ini?"},
	},
	labels: map[string][][]string{
		"sentiment": {{"positif", "negatif", "netral"}},
		"topic":     {{"politik", "ekonomi", "olahraga", "teknologi"}},
		"intent":    {{"pengembalian dana", "pengiriman", "akun", "lainnya"}},
		"emotion":   {{"senang", "marah", "sedih", "takut"}},
	},
	items: []mclItem{
		{"sentiment", "ulasan", "Barangnya bagus dan pengirimannya cepat."},
		{"sentiment", "ulasan", "Warnanya pudar setelah dicuci sekali."},
		{"topic", "judul berita", "Harga beras naik menjelang akhir tahun"},
		{"intent", "pesan", "Saya belum menerima kode verifikasi dari tadi."},
		{"emotion", "unggahan", "Akhirnya lulus kuliah setelah lima tahun!"},
	},
	quotes: [][2]string{{"\"", "\""}, {"Teks: ", ""}},
}

var mclVietnamese = mclLang{
	asks: map[string][]string{
		"sentiment": {"Đánh giá này tích cực hay tiêu cực?", "Phân loại cảm xúc của {k} sau."},
		"topic":     {"{k} này thuộc chủ đề nào?"},
		"intent":    {"Khách hàng muốn gì trong {k} này?"},
		"emotion":   {"{k} này thể hiện cảm xúc gì?"},
	},
	labels: map[string][][]string{
		"sentiment": {{"tích cực", "tiêu cực", "trung lập"}},
		"topic":     {{"chính trị", "kinh tế", "thể thao", "công nghệ"}},
		"intent":    {{"hoàn tiền", "giao hàng", "tài khoản", "khác"}},
		"emotion":   {{"vui", "giận", "buồn", "sợ"}},
	},
	items: []mclItem{
		{"sentiment", "bình luận", "Quán sạch sẽ, đồ ăn ngon, giá hợp lý."},
		{"sentiment", "đánh giá", "Giao hàng chậm và sản phẩm bị trầy xước."},
		{"topic", "tin", "Đội tuyển giành chiến thắng trong trận chung kết"},
		{"intent", "tin nhắn", "Tôi muốn đổi địa chỉ nhận hàng."},
		{"emotion", "bài đăng", "Cuối cùng tôi cũng được nhận vào làm!"},
	},
	quotes: [][2]string{{"\"", "\""}, {"Nội dung: ", ""}},
}
