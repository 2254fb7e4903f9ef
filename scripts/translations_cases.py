"""Vietnamese, Lao and Khmer for the joint cases app's strings (issue #15).

Kept as data so that they can be applied again after a catalog merge: run `makemessages` (see README), then
`python scripts/translations_cases.py` from the repository root, then compile. Fills only empty or fuzzy entries.
"""

from __future__ import annotations

from pathlib import Path

import polib

# msgid: (vi, lo, km)
T: dict[str, tuple[str, str, str]] = {
    "Joint cases": ("Chuyên án chung", "ຄະດີພິເສດຮ່ວມ", "ករណីពិសេសរួម"),
    "Joint case": ("Chuyên án chung", "ຄະດີພິເສດຮ່ວມ", "ករណីពិសេសរួម"),
    "joint case": ("chuyên án chung", "ຄະດີພິເສດຮ່ວມ", "ករណីពិសេសរួម"),
    "joint cases": ("chuyên án chung", "ຄະດີພິເສດຮ່ວມ", "ករណីពិសេសរួម"),
    "Title": ("Tiêu đề", "ຫົວຂໍ້", "ចំណងជើង"),
    "title": ("tiêu đề", "ຫົວຂໍ້", "ចំណងជើង"),
    "Summary": ("Tóm tắt", "ສະຫຼຸບ", "សេចក្តីសង្ខេប"),
    "summary": ("tóm tắt", "ສະຫຼຸບ", "សេចក្តីសង្ខេប"),
    "Units to invite": ("Đơn vị được mời", "ໜ່ວຍງານທີ່ເຊີນ", "អង្គភាពដែលត្រូវអញ្ជើញ"),
    "Invitation (what the invited units read before they accept)": (
        "Lời mời (nội dung đơn vị được mời đọc trước khi chấp nhận)",
        "ໜັງສືເຊີນ (ສິ່ງທີ່ໜ່ວຍງານທີ່ຖືກເຊີນອ່ານກ່ອນຕອບຮັບ)",
        "លិខិតអញ្ជើញ (អ្វីដែលអង្គភាពដែលត្រូវបានអញ្ជើញអានមុនពេលទទួលយក)"),
    "Outcome": ("Kết quả", "ຜົນໄດ້ຮັບ", "លទ្ធផល"),
    "outcome": ("kết quả", "ຜົນໄດ້ຮັບ", "លទ្ធផល"),
    "Number, address, handle or name": ("Số, địa chỉ, tên tài khoản hoặc tên", "ເລກ, ທີ່ຢູ່, ຊື່ບັນຊີ ຫຼື ຊື່",
                                        "លេខ អាសយដ្ឋាន ឈ្មោះគណនី ឬឈ្មោះ"),
    "Bank, plate country, platform or issuing country": (
        "Ngân hàng, quốc gia cấp biển số, nền tảng hoặc quốc gia cấp giấy tờ",
        "ທະນາຄານ, ປະເທດຂອງປ້າຍທະບຽນ, ແພລັດຟອມ ຫຼື ປະເທດທີ່ອອກເອກະສານ",
        "ធនាគារ ប្រទេសនៃស្លាកលេខ វេទិកា ឬប្រទេសចេញឯកសារ"),
    "Chain": ("Chuỗi khối", "ບລັອກເຊນ", "ប្លុកឆេន"),
    "Chain (wallets)": ("Chuỗi khối (ví)", "ບລັອກເຊນ (ກະເປົາ)", "ប្លុកឆេន (កាបូប)"),
    "Name (person)": ("Họ tên (người)", "ຊື່ (ບຸກຄົນ)", "ឈ្មោះ (បុគ្គល)"),
    "Share with the case": ("Chia sẻ với chuyên án", "ແບ່ງປັນກັບຄະດີ", "ចែករំលែកជាមួយករណី"),
    "Link": ("Liên kết", "ການເຊື່ອມໂຍງ", "តំណភ្ជាប់"),
    "Links": ("Liên kết", "ການເຊື່ອມໂຍງ", "តំណភ្ជាប់"),
    "From (date)": ("Từ ngày", "ຈາກວັນທີ", "ចាប់ពីថ្ងៃ"),
    "Until": ("Đến", "ເຖິງ", "រហូតដល់"),
    "until": ("đến", "ເຖິງ", "រហូតដល់"),
    "Amount": ("Số tiền", "ຈຳນວນເງິນ", "ចំនួនទឹកប្រាក់"),
    "amount": ("số tiền", "ຈຳນວນເງິນ", "ចំនួនទឹកប្រាក់"),
    "Currency": ("Tiền tệ", "ສະກຸນເງິນ", "រូបិយប័ណ្ណ"),
    "currency": ("tiền tệ", "ສະກຸນເງິນ", "រូបិយប័ណ្ណ"),
    "Source of the information": ("Nguồn thông tin", "ແຫຼ່ງຂໍ້ມູນ", "ប្រភពព័ត៌មាន"),
    "source of the information": ("nguồn thông tin", "ແຫຼ່ງຂໍ້ມູນ", "ប្រភពព័ត៌មាន"),
    "Assigned unit": ("Đơn vị được giao", "ໜ່ວຍງານທີ່ໄດ້ຮັບມອບໝາຍ", "អង្គភាពដែលទទួលភារកិច្ច"),
    "assigned unit": ("đơn vị được giao", "ໜ່ວຍງານທີ່ໄດ້ຮັບມອບໝາຍ", "អង្គភាពដែលទទួលភារកិច្ច"),
    "Task": ("Nhiệm vụ", "ໜ້າວຽກ", "ភារកិច្ច"),
    "task": ("nhiệm vụ", "ໜ້າວຽກ", "ភារកិច្ច"),
    "Tasks": ("Nhiệm vụ", "ໜ້າວຽກ", "ភារកិច្ច"),
    "Due": ("Hạn", "ກຳນົດ", "ផុតកំណត់"),
    "due": ("hạn", "ກຳນົດ", "ផុតកំណត់"),
    "Identifier": ("Định danh", "ຕົວລະບຸ", "អត្តសញ្ញាណ"),
    "Identifier found in your case %(ref)s": ("Định danh có trong chuyên án %(ref)s của quý đơn vị",
                                              "ພົບຕົວລະບຸໃນຄະດີ %(ref)s ຂອງທ່ານ", "រកឃើញអត្តសញ្ញាណក្នុងករណី %(ref)s របស់អ្នក"),
    "Your node answered a hit for %(value)s in case %(ref)s. Please share what you may about it.": (
        "Hệ thống của quý đơn vị trả lời có kết quả trùng cho %(value)s trong chuyên án %(ref)s. Đề nghị chia sẻ những thông tin có thể cung cấp.",
        "ລະບົບຂອງທ່ານຕອບວ່າພົບ %(value)s ໃນຄະດີ %(ref)s. ກະລຸນາແບ່ງປັນຂໍ້ມູນທີ່ທ່ານສາມາດແບ່ງປັນໄດ້.",
        "ប្រព័ន្ធរបស់អ្នកបានឆ្លើយថារកឃើញ %(value)s ក្នុងករណី %(ref)s។ សូមចែករំលែកព័ត៌មានដែលអ្នកអាចផ្តល់បាន។"),
    "This is not a phone number: give it with its country code, for example +855 12 345 678.": (
        "Đây không phải là số điện thoại: hãy nhập kèm mã quốc gia, ví dụ +855 12 345 678.",
        "ນີ້ບໍ່ແມ່ນເບີໂທລະສັບ: ກະລຸນາໃສ່ພ້ອມລະຫັດປະເທດ, ຕົວຢ່າງ +855 12 345 678.",
        "នេះមិនមែនជាលេខទូរស័ព្ទទេ៖ សូមបញ្ចូលជាមួយលេខកូដប្រទេស ឧទាហរណ៍ +855 12 345 678។"),
    "This phone number has too few or too many digits for its country.": (
        "Số điện thoại này thiếu hoặc thừa chữ số so với quy định của quốc gia.",
        "ເບີໂທລະສັບນີ້ມີຕົວເລກໜ້ອຍ ຫຼື ຫຼາຍເກີນໄປສຳລັບປະເທດຂອງມັນ.",
        "លេខទូរស័ព្ទនេះមានខ្ទង់តិចពេក ឬច្រើនពេកសម្រាប់ប្រទេសរបស់វា។"),
    "Give the account number: letters and digits, at most 40.": (
        "Nhập số tài khoản: chữ và số, tối đa 40 ký tự.", "ໃສ່ເລກບັນຊີ: ຕົວອັກສອນ ແລະ ຕົວເລກ, ບໍ່ເກີນ 40.",
        "បញ្ចូលលេខគណនី៖ អក្សរ និងលេខ មិនលើសពី 40។"),
    "Give the plate: at most 20 letters and digits.": (
        "Nhập biển số: tối đa 20 chữ và số.", "ໃສ່ປ້າຍທະບຽນ: ບໍ່ເກີນ 20 ຕົວອັກສອນ ແລະ ຕົວເລກ.",
        "បញ្ចូលស្លាកលេខ៖ មិនលើសពី 20 អក្សរ និងលេខ។"),
    "Choose the chain from the list.": ("Chọn chuỗi khối trong danh sách.", "ເລືອກບລັອກເຊນຈາກລາຍການ.", "ជ្រើសរើសប្លុកឆេនពីបញ្ជី។"),
    "Give the wallet address: letters and digits, at most 100.": (
        "Nhập địa chỉ ví: chữ và số, tối đa 100 ký tự.", "ໃສ່ທີ່ຢູ່ກະເປົາ: ຕົວອັກສອນ ແລະ ຕົວເລກ, ບໍ່ເກີນ 100.",
        "បញ្ចូលអាសយដ្ឋានកាបូប៖ អក្សរ និងលេខ មិនលើសពី 100។"),
    "This address fails its chain's checksum: check it character by character.": (
        "Địa chỉ này không khớp mã kiểm tra của chuỗi khối: hãy kiểm tra từng ký tự.",
        "ທີ່ຢູ່ນີ້ບໍ່ຜ່ານການກວດສອບ checksum ຂອງບລັອກເຊນ: ກະລຸນາກວດທີລະຕົວອັກສອນ.",
        "អាសយដ្ឋាននេះមិនត្រឹមត្រូវតាម checksum នៃប្លុកឆេន៖ សូមពិនិត្យម្តងមួយតួអក្សរ។"),
    "Give the handle without spaces, at most 100 characters.": (
        "Nhập tên tài khoản không có dấu cách, tối đa 100 ký tự.", "ໃສ່ຊື່ບັນຊີບໍ່ມີຍະຫວ່າງ, ບໍ່ເກີນ 100 ຕົວອັກສອນ.",
        "បញ្ចូលឈ្មោះគណនីដោយគ្មានដកឃ្លា មិនលើសពី 100 តួអក្សរ។"),
    "Give the document number, at most 60 characters.": (
        "Nhập số giấy tờ, tối đa 60 ký tự.", "ໃສ່ເລກເອກະສານ, ບໍ່ເກີນ 60 ຕົວອັກສອນ.", "បញ្ចូលលេខឯកសារ មិនលើសពី 60 តួអក្សរ។"),
    "Name the bank.": ("Ghi tên ngân hàng.", "ລະບຸຊື່ທະນາຄານ.", "សូមបញ្ជាក់ឈ្មោះធនាគារ។"),
    "Give the plate's country as two letters, for example KH.": (
        "Nhập quốc gia của biển số bằng hai chữ cái, ví dụ KH.", "ໃສ່ປະເທດຂອງປ້າຍທະບຽນເປັນສອງຕົວອັກສອນ, ຕົວຢ່າງ KH.",
        "បញ្ចូលប្រទេសនៃស្លាកលេខជាអក្សរពីរ ឧទាហរណ៍ KH។"),
    "Name the platform.": ("Ghi tên nền tảng.", "ລະບຸຊື່ແພລັດຟອມ.", "សូមបញ្ជាក់ឈ្មោះវេទិកា។"),
    "Give the issuing country as two letters.": ("Nhập quốc gia cấp bằng hai chữ cái.", "ໃສ່ປະເທດທີ່ອອກເປັນສອງຕົວອັກສອນ.",
                                                 "បញ្ចូលប្រទេសចេញជាអក្សរពីរ។"),
    "Choose a border gate from the list.": ("Chọn cửa khẩu trong danh sách.", "ເລືອກດ່ານຊາຍແດນຈາກລາຍການ.", "ជ្រើសរើសច្រកព្រំដែនពីបញ្ជី។"),
    "Nothing can be added to the case in its present state.": (
        "Không thể bổ sung vào chuyên án ở trạng thái hiện tại.", "ບໍ່ສາມາດເພີ່ມຫຍັງໃສ່ຄະດີໃນສະຖານະປັດຈຸບັນໄດ້.",
        "មិនអាចបន្ថែមអ្វីទៅក្នុងករណីក្នុងស្ថានភាពបច្ចុប្បន្នបានទេ។"),
    "A trafficking victim stays on this node: record the person as private to your country.": (
        "Nạn nhân mua bán người chỉ được lưu trên hệ thống này: hãy ghi nhận người này ở chế độ riêng của nước mình.",
        "ຜູ້ເຄາະຮ້າຍຈາກການຄ້າມະນຸດຢູ່ໃນລະບົບນີ້ເທົ່ານັ້ນ: ໃຫ້ບັນທຶກບຸກຄົນນີ້ເປັນຂໍ້ມູນສະເພາະຂອງປະເທດທ່ານ.",
        "ជនរងគ្រោះនៃការជួញដូរមនុស្សនៅតែលើប្រព័ន្ធនេះ៖ សូមកត់ត្រាបុគ្គលនេះជាព័ត៌មានឯកជនរបស់ប្រទេសអ្នក។"),
    "Choose an entity of this case.": ("Chọn một đối tượng của chuyên án này.", "ເລືອກອົງປະກອບຂອງຄະດີນີ້.",
                                       "ជ្រើសរើសធាតុមួយនៃករណីនេះ។"),
    "A shared link can join only entities shared with the case: share them first, or keep the link private.": (
        "Liên kết được chia sẻ chỉ nối các đối tượng đã chia sẻ với chuyên án: hãy chia sẻ chúng trước, hoặc giữ liên kết ở chế độ riêng.",
        "ການເຊື່ອມໂຍງທີ່ແບ່ງປັນເຊື່ອມໄດ້ສະເພາະອົງປະກອບທີ່ແບ່ງປັນກັບຄະດີ: ແບ່ງປັນພວກມັນກ່ອນ ຫຼື ເກັບການເຊື່ອມໂຍງໄວ້ເປັນສ່ວນຕົວ.",
        "តំណភ្ជាប់ដែលបានចែករំលែកអាចភ្ជាប់តែធាតុដែលបានចែករំលែកជាមួយករណី៖ សូមចែករំលែកវាជាមុនសិន ឬរក្សាតំណភ្ជាប់ជាឯកជន។"),
    "A link joins two different entities.": ("Liên kết phải nối hai đối tượng khác nhau.", "ການເຊື່ອມໂຍງເຊື່ອມສອງອົງປະກອບທີ່ແຕກຕ່າງກັນ.",
                                             "តំណភ្ជាប់ភ្ជាប់ធាតុពីរផ្សេងគ្នា។"),
    "The end cannot be before the start.": ("Ngày kết thúc không thể trước ngày bắt đầu.", "ວັນສິ້ນສຸດບໍ່ສາມາດກ່ອນວັນເລີ່ມຕົ້ນ.",
                                            "ថ្ងៃបញ្ចប់មិនអាចមុនថ្ងៃចាប់ផ្តើមបានទេ។"),
    "Give a positive amount.": ("Nhập số tiền lớn hơn 0.", "ໃສ່ຈຳນວນເງິນທີ່ຫຼາຍກວ່າສູນ.", "បញ្ចូលចំនួនទឹកប្រាក់វិជ្ជមាន។"),
    "Give the currency as three letters, for example USD.": (
        "Nhập tiền tệ bằng ba chữ cái, ví dụ USD.", "ໃສ່ສະກຸນເງິນເປັນສາມຕົວອັກສອນ, ຕົວຢ່າງ USD.",
        "បញ្ចូលរូបិយប័ណ្ណជាអក្សរបី ឧទាហរណ៍ USD។"),
    "proposed": ("đã đề xuất", "ສະເໜີແລ້ວ", "បានស្នើ"),
    "open": ("đang thực hiện", "ເປີດຢູ່", "កំពុងបើក"),
    "arrests": ("bắt giữ", "ການຈັບກຸມ", "ការចាប់ខ្លួន"),
    "seizures": ("thu giữ tang vật", "ການຍຶດຂອງກາງ", "ការរឹបអូស"),
    "referred to prosecution": ("chuyển truy tố", "ສົ່ງໃຫ້ອົງການໄອຍະການ", "បញ្ជូនទៅអយ្យការ"),
    "no result": ("không có kết quả", "ບໍ່ມີຜົນ", "គ្មានលទ្ធផល"),
    "created": ("đã tạo", "ສ້າງແລ້ວ", "បានបង្កើត"),
    "proposed for approval": ("đã trình duyệt", "ສະເໜີເພື່ອອະນຸມັດ", "បានស្នើសុំការអនុម័ត"),
    "returned to its author": ("đã trả lại người soạn", "ສົ່ງຄືນຜູ້ຂຽນ", "បានប្រគល់ទៅអ្នកសរសេរវិញ"),
    "approved; invitations sent": ("đã phê duyệt; đã gửi lời mời", "ອະນຸມັດແລ້ວ; ສົ່ງໜັງສືເຊີນແລ້ວ", "បានអនុម័ត; បានផ្ញើលិខិតអញ្ជើញ"),
    "opened": ("đã mở", "ເປີດແລ້ວ", "បានបើក"),
    "resumed": ("đã tiếp tục", "ດຳເນີນຕໍ່ແລ້ວ", "បានបន្ត"),
    "legal basis": ("căn cứ pháp lý", "ພື້ນຖານທາງກົດໝາຍ", "មូលដ្ឋានច្បាប់"),
    "lead unit": ("đơn vị chủ trì", "ໜ່ວຍງານນຳພາ", "អង្គភាពដឹកនាំ"),
    "Lead unit": ("Đơn vị chủ trì", "ໜ່ວຍງານນຳພາ", "អង្គភាពដឹកនាំ"),
    "not yet invited": ("chưa mời", "ຍັງບໍ່ທັນເຊີນ", "មិនទាន់អញ្ជើញ"),
    "invited, no answer yet": ("đã mời, chưa trả lời", "ເຊີນແລ້ວ, ຍັງບໍ່ທັນຕອບ", "បានអញ្ជើញ មិនទាន់ឆ្លើយ"),
    "invited": ("đã mời", "ເຊີນແລ້ວ", "បានអញ្ជើញ"),
    "accepted the invitation": ("đã nhận lời mời", "ຕອບຮັບຄຳເຊີນແລ້ວ", "បានទទួលយកការអញ្ជើញ"),
    "declined the invitation": ("đã từ chối lời mời", "ປະຕິເສດຄຳເຊີນແລ້ວ", "បានបដិសេធការអញ្ជើញ"),
    "invitation": ("lời mời", "ໜັງສືເຊີນ", "លិខិតអញ្ជើញ"),
    "shared with the case": ("chia sẻ với chuyên án", "ແບ່ງປັນກັບຄະດີ", "ចែករំលែកជាមួយករណី"),
    "phone number": ("số điện thoại", "ເບີໂທລະສັບ", "លេខទូរស័ព្ទ"),
    "bank account": ("tài khoản ngân hàng", "ບັນຊີທະນາຄານ", "គណនីធនាគារ"),
    "vehicle": ("phương tiện", "ພາຫະນະ", "យានយន្ត"),
    "crypto wallet": ("ví tiền mã hóa", "ກະເປົາເງິນຄຣິບໂຕ", "កាបូបរូបិយប័ណ្ណគ្រីបតូ"),
    "online account": ("tài khoản trực tuyến", "ບັນຊີອອນລາຍ", "គណនីអនឡាញ"),
    "organisation or company": ("tổ chức hoặc công ty", "ອົງການ ຫຼື ບໍລິສັດ", "អង្គការ ឬក្រុមហ៊ុន"),
    "place": ("địa điểm", "ສະຖານທີ່", "ទីកន្លែង"),
    "label": ("nhãn", "ປ້າຍຊື່", "ស្លាក"),
    "uses": ("sử dụng", "ໃຊ້", "ប្រើ"),
    "owns": ("sở hữu", "ເປັນເຈົ້າຂອງ", "ជាម្ចាស់"),
    "transferred to": ("chuyển tiền cho", "ໂອນໃຫ້", "ផ្ទេរទៅ"),
    "called": ("gọi điện cho", "ໂທຫາ", "បានហៅទៅ"),
    "travelled with": ("đi cùng", "ເດີນທາງກັບ", "ធ្វើដំណើរជាមួយ"),
    "member of": ("thành viên của", "ສະມາຊິກຂອງ", "សមាជិកនៃ"),
    "crossed at": ("xuất nhập cảnh qua", "ຂ້າມຜ່ານທີ່", "ឆ្លងកាត់នៅ"),
    "other link": ("liên kết khác", "ການເຊື່ອມໂຍງອື່ນ", "តំណភ្ជាប់ផ្សេងទៀត"),
    "done": ("đã xong", "ສຳເລັດແລ້ວ", "បានបញ្ចប់"),
    "assigned": ("đã giao", "ມອບໝາຍແລ້ວ", "បានចាត់តាំង"),
    "reminder sent": ("đã gửi nhắc nhở", "ສົ່ງການແຈ້ງເຕືອນແລ້ວ", "បានផ្ញើការរំលឹក"),
    "escalated: overdue": ("đã báo cáo cấp trên: quá hạn", "ລາຍງານຂັ້ນເທິງ: ເກີນກຳນົດ", "បានរាយការណ៍ថ្នាក់លើ៖ ហួសកំណត់"),
    "value (normalised)": ("giá trị (đã chuẩn hóa)", "ຄ່າ (ປັບມາດຕະຖານແລ້ວ)", "តម្លៃ (បានធ្វើស្តង់ដារ)"),
    "value excluded from cross-referencing": ("giá trị loại khỏi đối chiếu", "ຄ່າທີ່ຍົກເວັ້ນຈາກການກວດສອບຂ້າມ",
                                              "តម្លៃដែលដកចេញពីការផ្ទៀងផ្ទាត់ឆ្លង"),
    "values excluded from cross-referencing": ("các giá trị loại khỏi đối chiếu", "ຄ່າທີ່ຍົກເວັ້ນຈາກການກວດສອບຂ້າມ",
                                               "តម្លៃដែលដកចេញពីការផ្ទៀងផ្ទាត់ឆ្លង"),
    "confirmed: same person": ("đã xác nhận: cùng một người", "ຢືນຢັນແລ້ວ: ບຸກຄົນດຽວກັນ", "បានបញ្ជាក់៖ បុគ្គលតែមួយ"),
    "not the same person": ("không phải cùng một người", "ບໍ່ແມ່ນບຸກຄົນດຽວກັນ", "មិនមែនបុគ្គលតែមួយ"),
    "Choose active units other than your own.": ("Chọn các đơn vị đang hoạt động khác với đơn vị của mình.",
                                                 "ເລືອກໜ່ວຍງານທີ່ເຄື່ອນໄຫວຢູ່ ນອກຈາກໜ່ວຍງານຂອງທ່ານ.",
                                                 "ជ្រើសរើសអង្គភាពសកម្មក្រៅពីអង្គភាពរបស់អ្នក។"),
    "Invite at least one unit of another country: a joint case crosses a border.": (
        "Mời ít nhất một đơn vị của nước khác: chuyên án chung là hợp tác qua biên giới.",
        "ເຊີນຢ່າງໜ້ອຍໜຶ່ງໜ່ວຍງານຂອງປະເທດອື່ນ: ຄະດີຮ່ວມແມ່ນຂ້າມຊາຍແດນ.",
        "អញ្ជើញយ៉ាងហោចណាស់អង្គភាពមួយនៃប្រទេសផ្សេង៖ ករណីរួមឆ្លងកាត់ព្រំដែន។"),
    "You cannot approve your own proposal: another supervisor must.": (
        "Bạn không thể tự phê duyệt đề xuất của mình: phải do một lãnh đạo khác phê duyệt.",
        "ທ່ານບໍ່ສາມາດອະນຸມັດຂໍ້ສະເໜີຂອງຕົນເອງ: ຕ້ອງແມ່ນຫົວໜ້າຄົນອື່ນ.",
        "អ្នកមិនអាចអនុម័តសំណើរបស់ខ្លួនឯងបានទេ៖ ត្រូវឲ្យអ្នកគ្រប់គ្រងផ្សេងទៀត។"),
    "Tasks are given while the case is open.": ("Chỉ giao nhiệm vụ khi chuyên án đang thực hiện.", "ມອບໜ້າວຽກໄດ້ໃນເວລາທີ່ຄະດີເປີດຢູ່.",
                                                "ភារកិច្ចត្រូវចាត់តាំងនៅពេលករណីកំពុងបើក។"),
    "Choose a unit taking part in the case.": ("Chọn một đơn vị tham gia chuyên án.", "ເລືອກໜ່ວຍງານທີ່ເຂົ້າຮ່ວມຄະດີ.",
                                               "ជ្រើសរើសអង្គភាពដែលចូលរួមក្នុងករណី។"),
    "Give a due date in the future.": ("Nhập hạn trong tương lai.", "ໃສ່ກຳນົດໃນອະນາຄົດ.", "បញ្ចូលថ្ងៃផុតកំណត់នាពេលអនាគត។"),
    "Give a due date within a year.": ("Nhập hạn trong vòng một năm.", "ໃສ່ກຳນົດພາຍໃນໜຶ່ງປີ.", "បញ្ចូលថ្ងៃផុតកំណត់ក្នុងរយៈពេលមួយឆ្នាំ។"),
    "Your answer is recorded and goes to the lead unit.": ("Câu trả lời đã được ghi nhận và gửi tới đơn vị chủ trì.",
                                                           "ຄຳຕອບຂອງທ່ານຖືກບັນທຶກ ແລະ ສົ່ງໄປຫາໜ່ວຍງານນຳພາ.",
                                                           "ចម្លើយរបស់អ្នកត្រូវបានកត់ត្រា ហើយផ្ញើទៅអង្គភាពដឹកនាំ។"),
    "Choose the outcome from the list.": ("Chọn kết quả trong danh sách.", "ເລືອກຜົນໄດ້ຮັບຈາກລາຍການ.", "ជ្រើសរើសលទ្ធផលពីបញ្ជី។"),
    "Link graph": ("Sơ đồ liên kết", "ແຜນຜັງການເຊື່ອມໂຍງ", "ក្រាហ្វតំណភ្ជាប់"),
    "Units": ("Đơn vị", "ໜ່ວຍງານ", "អង្គភាព"),
    "The text suggests a political, religious, ethnic or military purpose: approval needs a written justification.": (
        "Nội dung gợi ý mục đích chính trị, tôn giáo, sắc tộc hoặc quân sự: việc phê duyệt cần có lý do bằng văn bản.",
        "ເນື້ອໃນຊີ້ບອກເຖິງຈຸດປະສົງທາງການເມືອງ, ສາສະໜາ, ຊົນເຜົ່າ ຫຼື ການທະຫານ: ການອະນຸມັດຕ້ອງມີເຫດຜົນເປັນລາຍລັກອັກສອນ.",
        "អត្ថបទបង្ហាញពីគោលបំណងនយោបាយ សាសនា ជាតិពន្ធុ ឬយោធា៖ ការអនុម័តត្រូវការយុត្តិកម្មជាលាយលក្ខណ៍អក្សរ។"),
    "Propose for approval": ("Trình phê duyệt", "ສະເໜີເພື່ອອະນຸມັດ", "ស្នើសុំការអនុម័ត"),
    "Justification (when asked)": ("Lý do (khi được yêu cầu)", "ເຫດຜົນ (ເມື່ອຖືກຮ້ອງຂໍ)", "យុត្តិកម្ម (ពេលត្រូវបានស្នើ)"),
    "Approve and send the invitations": ("Phê duyệt và gửi lời mời", "ອະນຸມັດ ແລະ ສົ່ງໜັງສືເຊີນ", "អនុម័ត និងផ្ញើលិខិតអញ្ជើញ"),
    "Resume": ("Tiếp tục", "ດຳເນີນຕໍ່", "បន្ត"),
    "Close the case": ("Kết thúc chuyên án", "ປິດຄະດີ", "បិទករណី"),
    "Entities": ("Đối tượng", "ອົງປະກອບ", "ធាតុ"),
    "Entity": ("Đối tượng", "ອົງປະກອບ", "ធាតុ"),
    "Cross-referencing: %(done)s of %(total)s entities checked.": (
        "Đối chiếu: đã kiểm tra %(done)s trên %(total)s đối tượng.", "ການກວດສອບຂ້າມ: ກວດແລ້ວ %(done)s ຈາກ %(total)s ອົງປະກອບ.",
        "ការផ្ទៀងផ្ទាត់ឆ្លង៖ បានពិនិត្យ %(done)s ក្នុងចំណោម %(total)s ធាតុ។"),
    "Owner": ("Chủ sở hữu", "ເຈົ້າຂອງ", "ម្ចាស់"),
    "Shared": ("Chia sẻ", "ແບ່ງປັນ", "ចែករំលែក"),
    "Cross-references": ("Đối chiếu", "ການກວດສອບຂ້າມ", "ការផ្ទៀងផ្ទាត់ឆ្លង"),
    "shared": ("đã chia sẻ", "ແບ່ງປັນແລ້ວ", "បានចែករំលែក"),
    "private": ("riêng", "ສ່ວນຕົວ", "ឯកជន"),
    "Share": ("Chia sẻ", "ແບ່ງປັນ", "ចែករំលែក"),
    "found elsewhere": ("có ở nơi khác", "ພົບຢູ່ບ່ອນອື່ນ", "រកឃើញនៅកន្លែងផ្សេង"),
    "No entity yet.": ("Chưa có đối tượng nào.", "ຍັງບໍ່ມີອົງປະກອບ.", "មិនទាន់មានធាតុ។"),
    "Possibly the same person": ("Có thể là cùng một người", "ອາດເປັນບຸກຄົນດຽວກັນ", "ប្រហែលជាបុគ្គលតែមួយ"),
    "Same person": ("Cùng một người", "ບຸກຄົນດຽວກັນ", "បុគ្គលតែមួយ"),
    "Not the same person": ("Không phải cùng một người", "ບໍ່ແມ່ນບຸກຄົນດຽວກັນ", "មិនមែនបុគ្គលតែមួយ"),
    "Add an entity": ("Thêm đối tượng", "ເພີ່ມອົງປະກອບ", "បន្ថែមធាតុ"),
    "Add": ("Thêm", "ເພີ່ມ", "បន្ថែម"),
    "Dates": ("Thời gian", "ວັນທີ", "កាលបរិច្ឆេទ"),
    "No link yet.": ("Chưa có liên kết nào.", "ຍັງບໍ່ມີການເຊື່ອມໂຍງ.", "មិនទាន់មានតំណភ្ជាប់។"),
    "Link two entities": ("Liên kết hai đối tượng", "ເຊື່ອມໂຍງສອງອົງປະກອບ", "ភ្ជាប់ធាតុពីរ"),
    "Notes": ("Ghi chú", "ບັນທຶກ", "កំណត់ចំណាំ"),
    "No note yet.": ("Chưa có ghi chú nào.", "ຍັງບໍ່ມີບັນທຶກ.", "មិនទាន់មានកំណត់ចំណាំ។"),
    "Add a note": ("Thêm ghi chú", "ເພີ່ມບັນທຶກ", "បន្ថែមកំណត់ចំណាំ"),
    "Files": ("Tệp", "ໄຟລ໌", "ឯកសារ"),
    "Given by": ("Đơn vị giao", "ມອບໝາຍໂດຍ", "ចាត់តាំងដោយ"),
    "overdue": ("quá hạn", "ເກີນກຳນົດ", "ហួសកំណត់"),
    "What was done": ("Đã làm gì", "ສິ່ງທີ່ໄດ້ເຮັດ", "អ្វីដែលបានធ្វើ"),
    "Done": ("Hoàn thành", "ສຳເລັດ", "បានបញ្ចប់"),
    "No task yet.": ("Chưa có nhiệm vụ nào.", "ຍັງບໍ່ມີໜ້າວຽກ.", "មិនទាន់មានភារកិច្ច។"),
    "Give a task": ("Giao nhiệm vụ", "ມອບໜ້າວຽກ", "ចាត់តាំងភារកិច្ច"),
    "Give the task": ("Giao nhiệm vụ", "ມອບໜ້າວຽກ", "ចាត់តាំងភារកិច្ច"),
    "private to your country": ("riêng của nước bạn", "ສະເພາະປະເທດຂອງທ່ານ", "ឯកជនសម្រាប់ប្រទេសរបស់អ្នក"),
    "This value is excluded from cross-referencing by the node administrator.": (
        "Giá trị này bị quản trị viên hệ thống loại khỏi đối chiếu.", "ຄ່ານີ້ຖືກຜູ້ບໍລິຫານລະບົບຍົກເວັ້ນຈາກການກວດສອບຂ້າມ.",
        "តម្លៃនេះត្រូវបានអ្នកគ្រប់គ្រងប្រព័ន្ធដកចេញពីការផ្ទៀងផ្ទាត់ឆ្លង។"),
    "Common value: held by too many objects to list (for example a hotline or a shared gateway).": (
        "Giá trị phổ biến: xuất hiện ở quá nhiều đối tượng để liệt kê (ví dụ đường dây nóng hoặc cổng dùng chung).",
        "ຄ່າທົ່ວໄປ: ມີຢູ່ໃນວັດຖຸຫຼາຍເກີນໄປທີ່ຈະລາຍການ (ຕົວຢ່າງ ສາຍດ່ວນ ຫຼື ເກດເວຮ່ວມ).",
        "តម្លៃទូទៅ៖ មាននៅក្នុងវត្ថុច្រើនពេកដើម្បីរាយបញ្ជី (ឧទាហរណ៍ ខ្សែទូរស័ព្ទបន្ទាន់ ឬច្រកចេញចូលរួម)។"),
    "Found nowhere else that you may see.": ("Không có ở nơi nào khác mà bạn được xem.", "ບໍ່ພົບຢູ່ບ່ອນອື່ນທີ່ທ່ານສາມາດເບິ່ງໄດ້.",
                                             "មិនរកឃើញនៅកន្លែងផ្សេងដែលអ្នកអាចមើលបានទេ។"),
    "Start a joint case": ("Lập chuyên án chung", "ເລີ່ມຄະດີພິເສດຮ່ວມ", "ចាប់ផ្តើមករណីពិសេសរួម"),
    "The case stays a draft on this node until a supervisor approves the proposal. Then each invited unit receives the invitation only; the case reaches a country once its unit accepts.": (
        "Chuyên án là bản nháp trên hệ thống này cho đến khi lãnh đạo phê duyệt đề xuất. Sau đó mỗi đơn vị được mời chỉ nhận lời mời; chuyên án chỉ được gửi tới một nước khi đơn vị của nước đó nhận lời.",
        "ຄະດີຍັງເປັນຮ່າງຢູ່ໃນລະບົບນີ້ຈົນກວ່າຫົວໜ້າຈະອະນຸມັດຂໍ້ສະເໜີ. ຫຼັງຈາກນັ້ນ ແຕ່ລະໜ່ວຍງານທີ່ຖືກເຊີນຈະໄດ້ຮັບພຽງໜັງສືເຊີນ; ຄະດີຈະໄປຮອດປະເທດໜຶ່ງເມື່ອໜ່ວຍງານຂອງປະເທດນັ້ນຕອບຮັບ.",
        "ករណីនៅជាសេចក្តីព្រាងលើប្រព័ន្ធនេះ រហូតដល់អ្នកគ្រប់គ្រងអនុម័តសំណើ។ បន្ទាប់មក អង្គភាពនីមួយៗដែលត្រូវបានអញ្ជើញទទួលបានតែលិខិតអញ្ជើញប៉ុណ្ណោះ; ករណីទៅដល់ប្រទេសមួយនៅពេលអង្គភាពរបស់ប្រទេសនោះទទួលយក។"),
    "Save the draft": ("Lưu bản nháp", "ບັນທຶກຮ່າງ", "រក្សាទុកសេចក្តីព្រាង"),
    "the best-connected": ("các đối tượng có nhiều liên kết nhất", "ອົງປະກອບທີ່ເຊື່ອມໂຍງຫຼາຍທີ່ສຸດ", "ធាតុដែលមានតំណភ្ជាប់ច្រើនបំផុត"),
    "A number above an entity opens its links that are not drawn. A red ring marks an entity found in another case. Dashed lines are private to your country.": (
        "Con số phía trên một đối tượng mở các liên kết chưa được vẽ. Vòng đỏ đánh dấu đối tượng có trong chuyên án khác. Đường nét đứt là riêng của nước bạn.",
        "ຕົວເລກເທິງອົງປະກອບເປີດການເຊື່ອມໂຍງທີ່ບໍ່ໄດ້ແຕ້ມ. ວົງສີແດງໝາຍເຖິງອົງປະກອບທີ່ພົບໃນຄະດີອື່ນ. ເສັ້ນປະແມ່ນສະເພາະປະເທດຂອງທ່ານ.",
        "លេខនៅលើធាតុបើកតំណភ្ជាប់ដែលមិនបានគូរ។ រង្វង់ក្រហមសម្គាល់ធាតុដែលរកឃើញក្នុងករណីផ្សេង។ បន្ទាត់ដាច់ៗជាឯកជនសម្រាប់ប្រទេសរបស់អ្នក។"),
    "Export GraphML": ("Xuất GraphML", "ສົ່ງອອກ GraphML", "នាំចេញ GraphML"),
    "Export JSON": ("Xuất JSON", "ສົ່ງອອກ JSON", "នាំចេញ JSON"),
    "Ask the other countries about an identifier": ("Hỏi các nước khác về một định danh", "ຖາມປະເທດອື່ນກ່ຽວກັບຕົວລະບຸ",
                                                    "សួរប្រទេសផ្សេងទៀតអំពីអត្តសញ្ញាណ"),
    "Each other country's node answers hit or no hit from what it shares with your country, with references only. Both nodes record the question.": (
        "Hệ thống của mỗi nước khác trả lời có hoặc không có kết quả từ những gì nước đó chia sẻ với nước bạn, chỉ kèm số tham chiếu. Cả hai hệ thống đều ghi lại câu hỏi.",
        "ລະບົບຂອງແຕ່ລະປະເທດອື່ນຕອບວ່າພົບ ຫຼື ບໍ່ພົບ ຈາກສິ່ງທີ່ແບ່ງປັນກັບປະເທດຂອງທ່ານ, ພ້ອມເລກອ້າງອີງເທົ່ານັ້ນ. ທັງສອງລະບົບບັນທຶກຄຳຖາມ.",
        "ប្រព័ន្ធនៃប្រទេសនីមួយៗឆ្លើយថារកឃើញ ឬមិនរកឃើញ ពីអ្វីដែលវាចែករំលែកជាមួយប្រទេសរបស់អ្នក ដោយមានតែលេខយោង។ ប្រព័ន្ធទាំងពីរកត់ត្រាសំណួរ។"),
    "Ask": ("Hỏi", "ຖາມ", "សួរ"),
    "Draft a request": ("Soạn yêu cầu", "ຮ່າງຄຳຮ້ອງ", "ព្រាងសំណើ"),
    "Draft a case invitation": ("Soạn lời mời tham gia chuyên án", "ຮ່າງໜັງສືເຊີນເຂົ້າຮ່ວມຄະດີ", "ព្រាងលិខិតអញ្ជើញចូលរួមករណី"),
    "unreachable": ("không kết nối được", "ບໍ່ສາມາດຕິດຕໍ່ໄດ້", "មិនអាចទាក់ទងបាន"),
    "No other country's node is peered with this one.": ("Chưa kết nối với hệ thống của nước nào khác.",
                                                         "ບໍ່ມີລະບົບຂອງປະເທດອື່ນເຊື່ອມຕໍ່ກັບລະບົບນີ້.",
                                                         "មិនមានប្រព័ន្ធនៃប្រទេសផ្សេងភ្ជាប់ជាមួយប្រព័ន្ធនេះទេ។"),
    "Invitation to a joint case": ("Lời mời tham gia chuyên án chung", "ໜັງສືເຊີນເຂົ້າຮ່ວມຄະດີພິເສດຮ່ວມ",
                                   "លិខិតអញ្ជើញចូលរួមករណីពិសេសរួម"),
    "Invited unit": ("Đơn vị được mời", "ໜ່ວຍງານທີ່ຖືກເຊີນ", "អង្គភាពដែលត្រូវបានអញ្ជើញ"),
    "Your answer (a reason is needed to decline)": ("Câu trả lời (từ chối cần nêu lý do)", "ຄຳຕອບຂອງທ່ານ (ຕ້ອງມີເຫດຜົນຖ້າປະຕິເສດ)",
                                                    "ចម្លើយរបស់អ្នក (ត្រូវមានហេតុផលដើម្បីបដិសេធ)"),
    "Invitations to answer": ("Lời mời cần trả lời", "ຄຳເຊີນທີ່ຕ້ອງຕອບ", "លិខិតអញ្ជើញដែលត្រូវឆ្លើយ"),
    "Page %(page)s of %(pages)s (%(total)s entities; the links shown are those between them).": (
        "Trang %(page)s/%(pages)s (%(total)s đối tượng; chỉ hiển thị các liên kết giữa các đối tượng này).",
        "ໜ້າ %(page)s ຈາກ %(pages)s (%(total)s ອົງປະກອບ; ສະແດງສະເພາະການເຊື່ອມໂຍງລະຫວ່າງພວກມັນ).",
        "ទំព័រ %(page)s នៃ %(pages)s (%(total)s ធាតុ; បង្ហាញតែតំណភ្ជាប់រវាងធាតុទាំងនេះ)។"),
    "Your unit takes part in no joint case yet.": ("Đơn vị của bạn chưa tham gia chuyên án chung nào.",
                                                   "ໜ່ວຍງານຂອງທ່ານຍັງບໍ່ທັນເຂົ້າຮ່ວມຄະດີຮ່ວມໃດ.",
                                                   "អង្គភាពរបស់អ្នកមិនទាន់ចូលរួមក្នុងករណីរួមណាមួយទេ។"),
}

PLURALS: dict[str, tuple[str, str, str]] = {
    "%(shown)s of %(n)s entity shown": ("Hiển thị %(shown)s trên %(n)s đối tượng", "ສະແດງ %(shown)s ຈາກ %(n)s ອົງປະກອບ",
                                        "បង្ហាញ %(shown)s ក្នុងចំណោម %(n)s ធាតុ"),
}

LANGUAGES = {"vi": 0, "lo": 1, "km": 2}


def apply(root: Path = Path("borderlink/locale")) -> dict[str, int]:
    """Fill empty or fuzzy entries of the vi, lo and km catalogs from T and PLURALS; returns the count per language."""
    counts = {}
    for language, index in LANGUAGES.items():
        path = root / language / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        filled = 0
        for entry in po:
            if entry.msgid_plural and entry.msgid in PLURALS:
                if "fuzzy" in entry.flags or not all(entry.msgstr_plural.values()):
                    entry.msgstr_plural = {0: PLURALS[entry.msgid][index]}
                    filled += 1
            elif entry.msgid in T and (not entry.msgstr or "fuzzy" in entry.flags):
                entry.msgstr = T[entry.msgid][index]
                filled += 1
            else:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
        po.save(str(path))
        counts[language] = filled
    return counts


if __name__ == "__main__":
    print(apply())
