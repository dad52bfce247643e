package main

// Requests in languages the classifier does not detect (Italian, Korean,
// Vietnamese, Greek, Thai, Hindi, Turkish, Polish, Indonesian, Dutch,
// Ukrainian): a few of every class each, written here, so that a prompt in
// an unfamiliar language is judged by what it asks and not taken for small
// talk because its words are unknown. Every prompt is emitted once.

// mlxLang holds one language's prompts; summarize and extract are
// instructions put before or after its passage.
type mlxLang struct {
	passage                                  string
	creative, chat, factual, reasoning, code []string
	summarize, extract                       []string
}

var mlx = []mlxLang{
	{ // Italian
		passage:   "Il comune di Bologna ha approvato ieri un piano per piantare 15.000 alberi entro il 2028. Il progetto costerà circa 9 milioni di euro, finanziati in parte dall'Unione europea. I cittadini potranno proporre le strade da rinverdire tramite un'app. Alcune associazioni ambientaliste giudicano la misura insufficiente e chiedono di ridurre anche il traffico in centro.",
		creative:  []string{"Scrivi una poesia sul mare d'inverno", "Inventa una favola per bambini con un riccio coraggioso", "Scrivi il testo di una canzone d'amore in stile anni '60", "Scrivi un breve racconto giallo ambientato a Venezia"},
		chat:      []string{"Ciao! Come stai oggi?", "Grazie mille, sei stato gentilissimo", "Che noia questa pioggia, tu cosa fai di bello?"},
		factual:   []string{"Chi ha dipinto la Cappella Sistina?", "Qual è il fiume più lungo d'Italia?", "In che anno è caduto il muro di Berlino?", "Perché il cielo è blu?"},
		reasoning: []string{"Se 4 operai costruiscono un muro in 6 giorni, quanti giorni servono a 3 operai?", "Un treno parte alle 8:15 e viaggia a 90 km/h. Quanti km avrà percorso alle 10:45?", "Risolvi l'equazione 3x - 7 = 2x + 5 e spiega i passaggi"},
		code:      []string{"Scrivi una funzione in Python che conta le vocali di una stringa", "Perché il mio codice Java lancia una NullPointerException?", "Come faccio una query SQL che somma le vendite per mese?"},
		summarize: []string{"Riassumi questo testo in due frasi:", "Fammi un breve riassunto:"},
		extract:   []string{"Estrai dal testo tutte le cifre e le date, in formato JSON:", "Elenca le organizzazioni e i luoghi citati nel testo:"},
	},
	{ // Korean
		passage:   "서울시는 어제 2027년까지 도심에 공원 열두 곳을 새로 만들겠다고 발표했다. 총 사업비는 약 3천억 원이며, 일부는 국가 예산으로 충당된다. 시민들은 전용 앱을 통해 공원 위치를 제안할 수 있다. 일부 시민 단체는 교통 문제에 대한 대책이 부족하다고 지적했다.",
		creative:  []string{"가을 밤에 대한 시를 써줘", "용감한 고양이가 나오는 동화를 만들어 줘", "첫사랑에 관한 노래 가사를 써줘", "우주 여행을 주제로 한 짧은 소설을 써 줘"},
		chat:      []string{"안녕! 오늘 기분 어때?", "고마워, 정말 도움이 됐어", "심심한데 이야기 좀 하자"},
		factual:   []string{"한국의 수도는 어디야?", "세종대왕은 누구야?", "태양계에서 가장 큰 행성은 무엇인가요?", "한글은 언제 만들어졌어?"},
		reasoning: []string{"사과 3개가 1,500원이면 사과 12개는 얼마인가요? 풀이 과정도 보여줘", "어떤 수에 4를 곱하고 7을 더하면 31이 됩니다. 그 수는 무엇인가요?", "기차가 시속 120km로 2시간 30분 동안 달리면 몇 km를 가나요?"},
		code:      []string{"파이썬으로 리스트를 정렬하는 함수 만들어 줘", "자바스크립트에서 배열 중복을 제거하는 코드 알려줘", "이 SQL 쿼리가 왜 느린지 설명해 줘"},
		summarize: []string{"다음 기사를 세 문장으로 요약해 줘:", "아래 글의 핵심 내용을 요약해 주세요."},
		extract:   []string{"다음 글에서 날짜, 금액, 기관 이름을 추출해서 JSON으로 정리해 줘:", "아래 문장에서 지명과 숫자를 모두 뽑아 줘."},
	},
	{ // Vietnamese
		passage:   "Hôm qua, thành phố Đà Nẵng công bố kế hoạch xây dựng ba tuyến xe buýt điện mới với tổng vốn khoảng 800 tỷ đồng. Các tuyến này dự kiến đi vào hoạt động từ tháng 6 năm sau. Người dân có thể góp ý về lộ trình qua một ứng dụng. Một số chuyên gia cho rằng thành phố cần thêm bãi đỗ xe gần các trạm.",
		creative:  []string{"Viết một bài thơ về mùa thu Hà Nội", "Kể cho tôi một câu chuyện cổ tích về con mèo dũng cảm", "Viết lời bài hát về tình bạn thời sinh viên", "Viết một đoạn quảng cáo cho quán cà phê mới mở"},
		chat:      []string{"Chào bạn! Hôm nay bạn thế nào?", "Cảm ơn bạn nhiều nhé", "Mình buồn quá, nói chuyện với mình chút đi"},
		factual:   []string{"Thủ đô của Úc là thành phố nào?", "Ai là người phát minh ra bóng đèn?", "Sông dài nhất Việt Nam là sông nào?", "Tại sao lá cây có màu xanh?"},
		reasoning: []string{"Một cửa hàng bán 3 cái bút giá 12.000 đồng. Hỏi 8 cái bút giá bao nhiêu?", "Giải phương trình 2x + 9 = 25 và giải thích từng bước", "Một người đi xe đạp với vận tốc 15 km/h trong 2 giờ 20 phút. Hỏi người đó đi được bao nhiêu km?"},
		code:      []string{"Viết hàm Python kiểm tra một số có phải số nguyên tố không", "Tại sao code JavaScript của tôi báo lỗi undefined?", "Cách viết câu lệnh SQL lấy 10 khách hàng mua nhiều nhất"},
		summarize: []string{"Tóm tắt đoạn văn sau trong hai câu:", "Hãy tóm tắt ngắn gọn bài báo này."},
		extract:   []string{"Trích xuất tất cả số liệu và thời gian trong đoạn văn sau dưới dạng JSON:", "Liệt kê các địa danh được nhắc đến trong đoạn văn."},
	},
	{ // Greek
		passage:   "Ο δήμος της Θεσσαλονίκης ανακοίνωσε χθες ότι θα φυτέψει 10.000 δέντρα μέχρι το 2027. Το έργο θα κοστίσει περίπου 6 εκατομμύρια ευρώ και θα χρηματοδοτηθεί εν μέρει από την Ευρωπαϊκή Ένωση. Οι κάτοικοι θα μπορούν να προτείνουν δρόμους μέσω μιας εφαρμογής. Ορισμένες οργανώσεις θεωρούν το μέτρο ανεπαρκές.",
		creative:  []string{"Γράψε ένα ποίημα για τη θάλασσα το καλοκαίρι", "Γράψε ένα παραμύθι για έναν μικρό δράκο που φοβάται τη φωτιά", "Γράψε στίχους για ένα τραγούδι αγάπης", "Γράψε ένα σύντομο διήγημα που διαδραματίζεται σε ένα νησί"},
		chat:      []string{"Γεια σου! Τι κάνεις σήμερα;", "Ευχαριστώ πολύ για τη βοήθεια!", "Βαριέμαι λίγο, θες να τα πούμε;"},
		factual:   []string{"Ποια είναι η πρωτεύουσα της Αυστραλίας;", "Ποιος έγραψε την Οδύσσεια;", "Πότε έγιναν οι πρώτοι σύγχρονοι Ολυμπιακοί Αγώνες;", "Γιατί ο ουρανός είναι μπλε;"},
		reasoning: []string{"Αν 5 μολύβια κοστίζουν 3 ευρώ, πόσο κοστίζουν 20 μολύβια;", "Λύσε την εξίσωση 4x + 6 = 30 και εξήγησε τα βήματα", "Ένα αυτοκίνητο κινείται με 80 km/h για 3 ώρες και 15 λεπτά. Πόση απόσταση διανύει;"},
		code:      []string{"Γράψε μια συνάρτηση σε Python που αντιστρέφει μια λίστα", "Γιατί ο κώδικάς μου σε Java πετάει NullPointerException;", "Πώς γράφω ένα ερώτημα SQL που μετράει τις παραγγελίες ανά πελάτη;"},
		summarize: []string{"Κάνε μια περίληψη του παρακάτω κειμένου σε δύο προτάσεις:", "Συνόψισε σύντομα το άρθρο."},
		extract:   []string{"Εξάγαγε όλους τους αριθμούς και τις ημερομηνίες από το κείμενο σε μορφή JSON:", "Ποιοι οργανισμοί και ποια μέρη αναφέρονται στο κείμενο; Κάνε μια λίστα."},
	},
	{ // Thai
		passage:   "เมื่อวานนี้ กรุงเทพมหานครประกาศแผนสร้างสวนสาธารณะใหม่ห้าแห่งภายในปี 2570 ด้วยงบประมาณประมาณ 1,200 ล้านบาท ประชาชนสามารถเสนอพื้นที่ผ่านแอปพลิเคชันได้ นักวิชาการบางคนเห็นว่าควรแก้ปัญหาการจราจรควบคู่ไปด้วย",
		creative:  []string{"แต่งกลอนเกี่ยวกับฤดูฝน", "เขียนนิทานสั้นๆ เกี่ยวกับช้างน้อยที่กลัวน้ำ", "แต่งเนื้อเพลงเกี่ยวกับมิตรภาพ", "เขียนเรื่องสั้นแนวสยองขวัญในหมู่บ้านชนบท"},
		chat:      []string{"สวัสดีครับ วันนี้เป็นยังไงบ้าง", "ขอบคุณมากนะ ช่วยได้เยอะเลย", "เบื่อจัง คุยเป็นเพื่อนหน่อยได้ไหม"},
		factual:   []string{"เมืองหลวงของญี่ปุ่นคืออะไร", "ใครเป็นผู้ประดิษฐ์โทรศัพท์", "แม่น้ำที่ยาวที่สุดในโลกคือแม่น้ำอะไร", "ทำไมท้องฟ้าถึงเป็นสีฟ้า"},
		reasoning: []string{"ถ้าส้ม 4 ผลราคา 60 บาท ส้ม 10 ผลราคาเท่าไร แสดงวิธีคิดด้วย", "แก้สมการ 3x + 5 = 20", "รถยนต์วิ่งด้วยความเร็ว 90 กิโลเมตรต่อชั่วโมง เป็นเวลา 2 ชั่วโมงครึ่ง จะได้ระยะทางกี่กิโลเมตร"},
		code:      []string{"เขียนฟังก์ชัน Python สำหรับหาค่าเฉลี่ยของลิสต์", "ทำไมโค้ด JavaScript ของฉันถึงขึ้น error ว่า undefined", "เขียนคำสั่ง SQL เพื่อนับจำนวนลูกค้าในแต่ละจังหวัด"},
		summarize: []string{"สรุปข้อความต่อไปนี้ให้สั้นลงในสองประโยค:", "ช่วยสรุปใจความสำคัญของข่าวนี้หน่อย"},
		extract:   []string{"ดึงตัวเลข วันที่ และชื่อหน่วยงานจากข้อความต่อไปนี้ออกมาเป็น JSON:", "ระบุชื่อสถานที่ทั้งหมดที่กล่าวถึงในข้อความ"},
	},
	{ // Hindi
		passage:   "कल दिल्ली सरकार ने घोषणा की कि अगले दो वर्षों में शहर में 50 नए सार्वजनिक पुस्तकालय खोले जाएंगे। इस परियोजना पर लगभग 300 करोड़ रुपये खर्च होंगे। नागरिक एक ऐप के माध्यम से स्थान सुझा सकेंगे। कुछ विशेषज्ञों का कहना है कि पुस्तकालयों में डिजिटल संसाधन भी होने चाहिए।",
		creative:  []string{"बारिश के मौसम पर एक कविता लिखो", "एक बहादुर खरगोश के बारे में बच्चों की कहानी लिखो", "दोस्ती पर एक गीत लिखो", "रक्षाबंधन के लिए बहन के लिए एक सुंदर संदेश लिखो"},
		chat:      []string{"नमस्ते! आप कैसे हैं?", "बहुत धन्यवाद, आपने बहुत मदद की", "आज मैं बहुत बोर हो रहा हूँ, थोड़ी बात करें?"},
		factual:   []string{"भारत की राजधानी क्या है?", "ताजमहल किसने बनवाया था?", "सौरमंडल का सबसे बड़ा ग्रह कौन सा है?", "आसमान नीला क्यों दिखता है?"},
		reasoning: []string{"अगर 6 केले 30 रुपये के हैं, तो 15 केले कितने रुपये के होंगे?", "समीकरण 5x - 3 = 22 हल करो और हर चरण समझाओ", "एक ट्रेन 60 किमी प्रति घंटे की गति से 3 घंटे 30 मिनट चलती है। वह कितनी दूरी तय करेगी?"},
		code:      []string{"Python में एक फ़ंक्शन लिखो जो किसी स्ट्रिंग को उल्टा कर दे", "मेरा Java कोड NullPointerException क्यों दे रहा है?", "SQL में हर विभाग के कर्मचारियों की संख्या कैसे गिनें?"},
		summarize: []string{"इस लेख का सारांश दो वाक्यों में लिखो:", "नीचे दिए गए पाठ का संक्षेप में सार बताओ।"},
		extract:   []string{"इस पाठ से सभी संख्याएँ, तारीखें और संस्थाओं के नाम JSON में निकालें:", "पाठ में बताए गए सभी स्थानों की सूची बनाओ।"},
	},
	{ // Turkish
		passage:   "İzmir Büyükşehir Belediyesi dün, 2027 yılına kadar kentte 20 bin ağaç dikileceğini açıkladı. Projenin maliyeti yaklaşık 150 milyon lira olacak. Vatandaşlar bir mobil uygulama üzerinden sokak önerisinde bulunabilecek. Bazı çevre dernekleri ise trafiğin de azaltılması gerektiğini söyledi.",
		creative:  []string{"Deniz hakkında kısa bir şiir yaz", "Cesur bir kedi hakkında çocuklar için bir masal yaz", "Arkadaşlık üzerine bir şarkı sözü yaz", "İstanbul'da geçen kısa bir polisiye hikaye yaz"},
		chat:      []string{"Merhaba! Bugün nasılsın?", "Çok teşekkürler, çok yardımcı oldun", "Canım sıkılıyor, biraz sohbet edelim mi?"},
		factual:   []string{"Türkiye'nin başkenti neresidir?", "İstanbul'u kim fethetti?", "Dünyanın en uzun nehri hangisidir?", "Gökyüzü neden mavidir?"},
		reasoning: []string{"3 kalem 45 lira ise 8 kalem kaç lira eder? Adım adım çöz", "2x + 11 = 35 denklemini çöz", "Bir araba saatte 75 km hızla 4 saat giderse kaç km yol alır?"},
		code:      []string{"Python'da bir listenin en büyük elemanını bulan fonksiyon yaz", "JavaScript kodum neden undefined hatası veriyor?", "Her müşterinin toplam siparişini bulan SQL sorgusu nasıl yazılır?"},
		summarize: []string{"Aşağıdaki metni iki cümleyle özetle:", "Bu haberin kısa bir özetini çıkar."},
		extract:   []string{"Metindeki tüm sayıları, tarihleri ve kurum adlarını JSON olarak çıkar:", "Metinde geçen yer adlarını listele."},
	},
	{ // Polish
		passage:   "Władze Krakowa ogłosiły wczoraj, że do 2027 roku w mieście powstanie osiem nowych parków. Inwestycja ma kosztować około 400 milionów złotych. Mieszkańcy będą mogli zgłaszać propozycje lokalizacji przez aplikację. Część ekspertów uważa jednak, że miasto powinno najpierw rozwiązać problem korków.",
		creative:  []string{"Napisz wiersz o jesieni w górach", "Napisz bajkę dla dzieci o odważnym jeżu", "Napisz tekst piosenki o przyjaźni", "Napisz krótkie opowiadanie science fiction o pierwszym dniu na Marsie"},
		chat:      []string{"Cześć! Jak się dzisiaj masz?", "Dzięki wielkie, bardzo mi pomogłeś", "Nudzę się, pogadamy chwilę?"},
		factual:   []string{"Jaka jest stolica Kanady?", "Kto odkrył polon i rad?", "W którym roku zaczęła się druga wojna światowa?", "Dlaczego niebo jest niebieskie?"},
		reasoning: []string{"Jeśli 4 bułki kosztują 6 zł, ile kosztuje 10 bułek? Pokaż obliczenia", "Rozwiąż równanie 7x - 4 = 3x + 12", "Pociąg jedzie z prędkością 100 km/h przez 2 godziny i 45 minut. Jaką odległość pokona?"},
		code:      []string{"Napisz funkcję w Pythonie, która sprawdza, czy liczba jest pierwsza", "Dlaczego mój kod w Javie rzuca NullPointerException?", "Jak napisać zapytanie SQL, które zlicza zamówienia dla każdego klienta?"},
		summarize: []string{"Streść poniższy tekst w dwóch zdaniach:", "Podsumuj krótko ten artykuł."},
		extract:   []string{"Wyodrębnij z tekstu wszystkie liczby, daty i nazwy instytucji w formacie JSON:", "Wypisz wszystkie miejsca wymienione w tekście."},
	},
	{ // Indonesian
		passage:   "Pemerintah Kota Surabaya kemarin mengumumkan rencana membangun sepuluh taman kota baru hingga tahun 2027 dengan anggaran sekitar 500 miliar rupiah. Warga dapat mengusulkan lokasi melalui aplikasi. Beberapa pengamat menilai pemerintah juga perlu memperbaiki transportasi umum.",
		creative:  []string{"Buatkan puisi tentang hujan di sore hari", "Tulis cerita pendek tentang kucing yang tersesat di kota", "Buat lirik lagu tentang persahabatan", "Tulis dongeng anak-anak tentang kancil yang cerdik"},
		chat:      []string{"Halo! Apa kabar hari ini?", "Makasih banyak ya, sangat membantu", "Aku lagi bosan nih, ngobrol yuk"},
		factual:   []string{"Apa ibu kota Jepang?", "Siapa penemu telepon?", "Kapan Indonesia merdeka?", "Mengapa langit berwarna biru?"},
		reasoning: []string{"Jika 5 buku harganya 75 ribu rupiah, berapa harga 12 buku? Tunjukkan caranya", "Selesaikan persamaan 4x + 7 = 31", "Sebuah mobil melaju 60 km per jam selama 3 jam 20 menit. Berapa jarak yang ditempuh?"},
		code:      []string{"Buat fungsi Python untuk menghitung faktorial", "Kenapa kode JavaScript saya error undefined?", "Bagaimana menulis query SQL untuk menghitung jumlah pesanan per pelanggan?"},
		summarize: []string{"Ringkas teks berikut dalam dua kalimat:", "Buatkan ringkasan singkat dari berita ini."},
		extract:   []string{"Ekstrak semua angka, tanggal, dan nama lembaga dari teks berikut dalam format JSON:", "Sebutkan semua nama tempat yang ada di teks."},
	},
	{ // Dutch
		passage:   "De gemeente Utrecht maakte gisteren bekend dat er tot 2027 twaalf nieuwe fietsenstallingen bij stations komen. Het project kost ongeveer 45 miljoen euro. Inwoners kunnen via een app locaties voorstellen. Sommige bewoners vinden dat de gemeente eerst de drukte in de binnenstad moet aanpakken.",
		creative:  []string{"Schrijf een gedicht over de zee in de winter", "Schrijf een sprookje over een kleine draak die bang is voor vuur", "Schrijf een liedje over vriendschap", "Schrijf een kort verhaal dat zich afspeelt in Amsterdam"},
		chat:      []string{"Hoi! Hoe gaat het vandaag?", "Bedankt, je hebt me echt geholpen", "Ik verveel me, zullen we even kletsen?"},
		factual:   []string{"Wat is de hoofdstad van Australië?", "Wie schilderde De Nachtwacht?", "Wanneer werd de Afsluitdijk gebouwd?", "Waarom is de lucht blauw?"},
		reasoning: []string{"Als 3 broden 7,50 euro kosten, hoeveel kosten 8 broden? Laat de berekening zien", "Los de vergelijking 6x - 5 = 2x + 15 op", "Een trein rijdt 2 uur en 15 minuten met 120 km/u. Hoeveel kilometer legt hij af?"},
		code:      []string{"Schrijf een Python-functie die controleert of een woord een palindroom is", "Waarom geeft mijn JavaScript-code een undefined-fout?", "Hoe schrijf ik een SQL-query die het aantal bestellingen per klant telt?"},
		summarize: []string{"Vat de volgende tekst samen in twee zinnen:", "Geef een korte samenvatting van dit artikel."},
		extract:   []string{"Haal alle getallen, datums en namen van organisaties uit de tekst en geef ze als JSON:", "Noem alle plaatsen die in de tekst voorkomen."},
	},
	{ // Ukrainian
		passage:   "Учора міська рада Львова оголосила, що до 2027 року в місті з'являться шість нових парків. Проєкт коштуватиме приблизно 900 мільйонів гривень. Мешканці зможуть пропонувати місця через мобільний застосунок. Деякі експерти вважають, що спершу слід вирішити проблему заторів.",
		creative:  []string{"Напиши вірш про весну в Карпатах", "Напиши казку про сміливого їжачка", "Напиши текст пісні про дружбу", "Напиши коротке оповідання про подорож у часі"},
		chat:      []string{"Привіт! Як твої справи?", "Дякую, ти дуже допоміг", "Мені сумно, поговори зі мною трохи"},
		factual:   []string{"Яка столиця Канади?", "Хто написав «Кобзар»?", "Яка найдовша річка в Європі?", "Чому небо блакитне?"},
		reasoning: []string{"Якщо 5 зошитів коштують 40 гривень, скільки коштують 12 зошитів? Покажи розв'язання", "Розв'яжи рівняння 3x + 8 = 29", "Поїзд їде зі швидкістю 80 км/год протягом 3 годин 30 хвилин. Яку відстань він проїде?"},
		code:      []string{"Напиши функцію на Python, яка рахує кількість слів у рядку", "Чому мій код на Java видає NullPointerException?", "Як написати SQL-запит, що рахує замовлення для кожного клієнта?"},
		summarize: []string{"Підсумуй цей текст у двох реченнях:", "Стисло перекажи зміст статті."},
		extract:   []string{"Витягни з тексту всі числа, дати та назви організацій у форматі JSON:", "Перелічи всі місця, згадані в тексті."},
	},
}

// mlxPrompts returns every prompt of a class across the languages.
func mlxPrompts(class string) []string {
	var out []string
	for _, l := range mlx {
		switch class {
		case "creative":
			out = append(out, l.creative...)
		case "chat":
			out = append(out, l.chat...)
		case "factual":
			out = append(out, l.factual...)
		case "reasoning":
			out = append(out, l.reasoning...)
		case "code":
			out = append(out, l.code...)
		case "summarization":
			out = append(out, withPassage(l.summarize, l.passage)...)
		case "extraction":
			out = append(out, withPassage(l.extract, l.passage)...)
		}
	}
	return out
}

// withPassage puts each instruction before the passage, or after it for
// every other one.
func withPassage(instructions []string, passage string) []string {
	out := make([]string, len(instructions))
	for i, in := range instructions {
		out[i] = in + "\n\n" + passage
		if i%2 == 1 {
			out[i] = passage + "\n\n" + in
		}
	}
	return out
}

func init() {
	for _, class := range classNames {
		prompts := mlxPrompts(class)
		next := 0
		register(class, "mlx", len(prompts), func(*G) example {
			p := prompts[next%len(prompts)]
			next++
			return example{Text: p}
		})
	}
}
