<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About da8desktop</source>
        <translation>Giới thiệu da8desktop</translation>
    </message>
    <message>
        <source>Open the data folder</source>
        <translation>Mở thư mục dữ liệu</translation>
    </message>
    <message>
        <source>Records of Project 8 for commune and province Women&apos;s Unions.</source>
        <translation>Hồ sơ Dự án 8 cho Hội LHPN xã và tỉnh.</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <source>Data file</source>
        <translation>Tệp dữ liệu</translation>
    </message>
    <message>
        <source>Database schema</source>
        <translation>Phiên bản cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Nhật ký lỗi</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Giấy phép</translation>
    </message>
</context>
<context>
    <name>Activities</name>
    <message>
        <source>Choose the kind of activity.</source>
        <translation>Hãy chọn loại hoạt động.</translation>
    </message>
    <message>
        <source>A group meeting needs its group.</source>
        <translation>Buổi sinh hoạt phải thuộc một tổ/nhóm. Hãy chọn tổ/nhóm.</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>Ngày kết thúc đang trước ngày bắt đầu.</translation>
    </message>
    <message>
        <source>Unknown topic {topic}.</source>
        <translation>Không có chủ đề {topic} trong danh mục.</translation>
    </message>
    <message>
        <source>Choose villages of this commune.</source>
        <translation>Hãy chọn thôn/bản của xã này.</translation>
    </message>
    <message>
        <source>Choose an activity group from the list.</source>
        <translation>Hãy chọn nhóm hoạt động trong danh sách.</translation>
    </message>
    <message>
        <source>This activity group belongs to another content. Choose a group of the chosen content, or change the content.</source>
        <translation>Nhóm hoạt động này thuộc nội dung khác. Hãy chọn một nhóm của nội dung đã chọn, hoặc đổi nội dung.</translation>
    </message>
    <message>
        <source>Choose who was trained from the list.</source>
        <translation>Hãy chọn đối tượng được tập huấn trong danh sách.</translation>
    </message>
    <message>
        <source>Who was trained is recorded for trainings of content 4 only.</source>
        <translation>Đối tượng được tập huấn chỉ ghi cho các lớp tập huấn thuộc Nội dung 4.</translation>
    </message>
    <message>
        <source>Minority women cannot be more than the women, nor more than the minority participants.</source>
        <translation>Số phụ nữ DTTS không được nhiều hơn số nữ, cũng không được nhiều hơn số người DTTS.</translation>
    </message>
    <message>
        <source>Each ethnic group&apos;s number must be a whole number up to the total.</source>
        <translation>Số người của mỗi dân tộc phải là số nguyên, không lớn hơn tổng số.</translation>
    </message>
    <message>
        <source>Choose ethnic groups from the list.</source>
        <translation>Hãy chọn dân tộc trong danh sách.</translation>
    </message>
    <message>
        <source>The ethnic groups add up to more than the total.</source>
        <translation>Tổng số người theo các dân tộc lớn hơn tổng số người tham gia.</translation>
    </message>
    <message>
        <source>The minority ethnic groups add up to more than the minority participants.</source>
        <translation>Tổng số người của các dân tộc thiểu số lớn hơn số người DTTS đã nhập.</translation>
    </message>
    <message>
        <source>Enter the number of participants.</source>
        <translation>Hãy nhập tổng số người tham dự.</translation>
    </message>
    <message>
        <source>Counts cannot be negative.</source>
        <translation>Số người không được là số âm.</translation>
    </message>
    <message>
        <source>Women and men together are more than the total.</source>
        <translation>Số nữ cộng số nam đang lớn hơn tổng số.</translation>
    </message>
    <message>
        <source>A part is larger than the total.</source>
        <translation>Có một thành phần lớn hơn tổng số.</translation>
    </message>
    <message>
        <source>Women and men add up to {sum}, not to the total {total}.</source>
        <translation>Số nữ và nam cộng lại là {sum}, không bằng tổng số {total}.</translation>
    </message>
</context>
<context>
    <name>ActivitiesPage</name>
    <message>
        <source>Group meeting</source>
        <translation>Sinh hoạt tổ/nhóm</translation>
    </message>
    <message>
        <source>Communication event</source>
        <translation>Sự kiện truyền thông</translation>
    </message>
    <message>
        <source>Policy dialogue</source>
        <translation>Đối thoại chính sách</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Tập huấn</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Tất cả các loại</translation>
    </message>
    <message>
        <source>All years</source>
        <translation>Tất cả các năm</translation>
    </message>
    <message>
        <source>Record a group meeting</source>
        <translation>Ghi buổi sinh hoạt tổ/nhóm</translation>
    </message>
    <message>
        <source>Record another activity</source>
        <translation>Ghi hoạt động khác</translation>
    </message>
    <message>
        <source>Activity with a list of participants…</source>
        <translation>Hoạt động có danh sách người tham gia…</translation>
    </message>
    <message>
        <source>Delete (Del)</source>
        <translation>Xóa (Del)</translation>
    </message>
    <message>
        <source>Print the sign-in sheet…</source>
        <translation>In danh sách ký nhận…</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>Xuất Excel…</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>Số người</translation>
    </message>
    <message>
        <source>Women</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Meetings and activities</source>
        <translation>Sinh hoạt và hoạt động</translation>
    </message>
    <message>
        <source>Safe-delivery support</source>
        <translation>Hỗ trợ sinh đẻ an toàn</translation>
    </message>
    <message>
        <source>The province&apos;s own activities</source>
        <translation>Hoạt động của tỉnh</translation>
    </message>
    <message>
        <source>{sessions} sessions, {times} participant-times</source>
        <translation>{sessions} cuộc/buổi, {times} lượt người</translation>
    </message>
    <message>
        <source>Activity with a list of participants</source>
        <translation>Hoạt động có danh sách người tham gia</translation>
    </message>
    <message>
        <source>Kind of activity</source>
        <translation>Loại hoạt động</translation>
    </message>
    <message>
        <source>Saved, please check</source>
        <translation>Đã lưu, xin kiểm tra lại</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>Xuất Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>{rows} rows written to {file}</source>
        <translation>Đã ghi {rows} dòng vào {file}</translation>
    </message>
    <message>
        <source>Print the sign-in sheet</source>
        <translation>In danh sách ký nhận</translation>
    </message>
    <message>
        <source>Print a blank sign-in sheet</source>
        <translation>In phiếu ký nhận trống</translation>
    </message>
    <message>
        <source>No activity is selected. Title of a blank sheet:</source>
        <translation>Chưa chọn hoạt động nào. Tiêu đề của phiếu trống:</translation>
    </message>
</context>
<context>
    <name>ActivityDialog</name>
    <message>
        <source>Activity with participant counts</source>
        <translation>Hoạt động ghi theo số lượng người</translation>
    </message>
    <message>
        <source>Communication event</source>
        <translation>Sự kiện truyền thông</translation>
    </message>
    <message>
        <source>Policy dialogue</source>
        <translation>Đối thoại chính sách</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Tập huấn</translation>
    </message>
    <message>
        <source>dd/mm/yyyy (several days)</source>
        <translation>dd/mm/yyyy (nếu nhiều ngày)</translation>
    </message>
    <message>
        <source>(from the activity group)</source>
        <translation>(theo nhóm hoạt động)</translation>
    </message>
    <message>
        <source>(from the kind, form or training subject)</source>
        <translation>(theo loại hoạt động, hình thức hoặc chủ đề tập huấn)</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>(chưa ghi)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Activity group</source>
        <translation>Nhóm hoạt động</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Hình thức</translation>
    </message>
    <message>
        <source>Villages covered</source>
        <translation>Các thôn/bản tham gia</translation>
    </message>
    <message>
        <source>Former commune (before 7/2025)</source>
        <translation>Xã cũ (trước 7/2025)</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>Chủ đề</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <source>Participants in total</source>
        <translation>Tổng số người tham dự</translation>
    </message>
    <message>
        <source>of whom women</source>
        <translation>trong đó nữ</translation>
    </message>
    <message>
        <source>of whom men</source>
        <translation>trong đó nam</translation>
    </message>
    <message>
        <source>of whom ethnic minority</source>
        <translation>trong đó người DTTS</translation>
    </message>
    <message>
        <source>of whom ethnic-minority women</source>
        <translation>trong đó nữ DTTS</translation>
    </message>
    <message>
        <source>of whom children</source>
        <translation>trong đó trẻ em</translation>
    </message>
    <message>
        <source>Chaired by</source>
        <translation>Người chủ trì</translation>
    </message>
    <message>
        <source>Chair&apos;s position</source>
        <translation>Chức vụ người chủ trì</translation>
    </message>
    <message>
        <source>Questions raised</source>
        <translation>Số ý kiến, kiến nghị</translation>
    </message>
    <message>
        <source>answered on the spot</source>
        <translation>được trả lời tại chỗ</translation>
    </message>
    <message>
        <source>forwarded</source>
        <translation>được chuyển cấp trên</translation>
    </message>
    <message>
        <source>Organised by</source>
        <translation>Đơn vị tổ chức</translation>
    </message>
    <message>
        <source>Training subject</source>
        <translation>Chủ đề tập huấn</translation>
    </message>
    <message>
        <source>Who was trained (content 4)</source>
        <translation>Đối tượng được tập huấn (Nội dung 4)</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Số ngày</translation>
    </message>
    <message>
        <source>Cost (đồng)</source>
        <translation>Kinh phí (đồng)</translation>
    </message>
    <message>
        <source>Funding source</source>
        <translation>Nguồn kinh phí</translation>
    </message>
    <message>
        <source>Write dates as dd/mm/yyyy.</source>
        <translation>Hãy viết ngày theo dạng dd/mm/yyyy.</translation>
    </message>
</context>
<context>
    <name>AgeBand</name>
    <message>
        <source>Under 16</source>
        <translation>Dưới 16 tuổi</translation>
    </message>
    <message>
        <source>16 to 17</source>
        <translation>Từ 16 đến 17 tuổi</translation>
    </message>
    <message>
        <source>18 to 59</source>
        <translation>Từ 18 đến 59 tuổi</translation>
    </message>
    <message>
        <source>60 and over</source>
        <translation>Từ 60 tuổi trở lên</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>Cannot read {file}: {reason}</source>
        <translation>Không đọc được {file}: {reason}</translation>
    </message>
    <message>
        <source>{file} is larger than 50 MB. Attach a smaller scan or photo.</source>
        <translation>{file} lớn hơn 50 MB. Hãy đính kèm bản quét hoặc ảnh nhỏ hơn.</translation>
    </message>
    <message>
        <source>A stored attachment has a damaged hash or file name, so its file is not used. Attach the document again.</source>
        <translation>Một tệp đính kèm đã lưu có mã băm hoặc tên tệp bị hỏng nên không được dùng. Hãy đính kèm lại tài liệu.</translation>
    </message>
    <message>
        <source>The name of {file} cannot be used for an attachment. Rename the file with a short extension (such as .jpg or .pdf) and attach it again.</source>
        <translation>Không thể dùng tên của {file} cho tệp đính kèm. Hãy đổi tên tệp với phần mở rộng ngắn (ví dụ .jpg hoặc .pdf) rồi đính kèm lại.</translation>
    </message>
    <message>
        <source>{file} is not an ordinary file. Choose a photo or a scanned document.</source>
        <translation>{file} không phải là một tệp thông thường. Hãy chọn một ảnh chụp hoặc tài liệu đã quét.</translation>
    </message>
    <message>
        <source>The group or activity no longer exists.</source>
        <translation>Tổ/nhóm hoặc hoạt động này không còn nữa.</translation>
    </message>
</context>
<context>
    <name>AttachmentsWidget</name>
    <message>
        <source>Attach a photo or scan…</source>
        <translation>Đính kèm ảnh hoặc bản quét…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>Attach a photo or scan</source>
        <translation>Đính kèm ảnh hoặc bản quét</translation>
    </message>
    <message>
        <source>Photos and documents (*.jpg *.jpeg *.png *.pdf *.doc *.docx);;All files (*)</source>
        <translation>Ảnh và văn bản (*.jpg *.jpeg *.png *.pdf *.doc *.docx);;Tất cả các tệp (*)</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <source>Normal delivery</source>
        <translation>Sinh thường</translation>
    </message>
    <message>
        <source>Caesarean</source>
        <translation>Sinh mổ</translation>
    </message>
    <message>
        <source>Other support</source>
        <translation>Hỗ trợ khác</translation>
    </message>
    <message>
        <source>New identity for this computer (a copied or restored data file)</source>
        <translation>Mã nhận diện mới cho máy này (tệp dữ liệu được sao chép hoặc khôi phục)</translation>
    </message>
    <message>
        <source>Personal data erased for good</source>
        <translation>Đã xóa vĩnh viễn dữ liệu cá nhân</translation>
    </message>
    <message>
        <source>Settings of printed documents</source>
        <translation>Cài đặt văn bản in</translation>
    </message>
    <message>
        <source>Setup file {rest}</source>
        <translation>Tệp thiết lập {rest}</translation>
    </message>
    <message>
        <source>Set up from {rest}</source>
        <translation>Thiết lập từ {rest}</translation>
    </message>
    <message>
        <source>Computer confirmed: {rest}</source>
        <translation>Đã xác nhận máy: {rest}</translation>
    </message>
    <message>
        <source>Computer revoked: {rest}</source>
        <translation>Đã thu hồi máy: {rest}</translation>
    </message>
    <message>
        <source>People list</source>
        <translation>Danh sách người</translation>
    </message>
    <message>
        <source>Groups and activities</source>
        <translation>Tổ/nhóm và hoạt động</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Nhật ký</translation>
    </message>
    <message>
        <source>Progress report</source>
        <translation>Báo cáo tiến độ</translation>
    </message>
    <message>
        <source>{person} in {group}</source>
        <translation>{person} trong {group}</translation>
    </message>
    <message>
        <source>{indicator}, {period}: {value}</source>
        <translation>{indicator}, {period}: {value}</translation>
    </message>
    <message>
        <source>{count} cases, reported on {date}</source>
        <translation>{count} vụ việc, báo ngày {date}</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Added</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Sửa</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>Khôi phục</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>Gộp</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>Xuất</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>In</translation>
    </message>
    <message>
        <source>Set up</source>
        <translation>Thiết lập</translation>
    </message>
    <message>
        <source>Upgraded</source>
        <translation>Nâng cấp</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Thành viên</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Hoạt động</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Điểm danh</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Safe-delivery support</source>
        <translation>Hỗ trợ sinh đẻ an toàn</translation>
    </message>
    <message>
        <source>Trusted-address case</source>
        <translation>Vụ việc tại Địa chỉ tin cậy</translation>
    </message>
    <message>
        <source>Support to a group</source>
        <translation>Hỗ trợ tổ/nhóm</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>Tệp đính kèm</translation>
    </message>
    <message>
        <source>Change of a group&apos;s status</source>
        <translation>Thay đổi tình trạng tổ/nhóm</translation>
    </message>
    <message>
        <source>Sync bundle</source>
        <translation>Gói đồng bộ</translation>
    </message>
    <message>
        <source>Registered computer</source>
        <translation>Máy đăng ký</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Thiết lập máy</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Every action</source>
        <translation>Mọi việc</translation>
    </message>
    <message>
        <source>Search, with or without accents</source>
        <translation>Tìm, gõ có dấu hoặc không dấu</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>Xuất ra Excel…</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Việc</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Nhật ký</translation>
    </message>
    <message>
        <source>{n} entries shown (the newest first)</source>
        <translation>Đang hiện {n} dòng (mới nhất ở trên)</translation>
    </message>
    <message>
        <source>Export the audit trail</source>
        <translation>Xuất nhật ký</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>{n} entries written to {file}.</source>
        <translation>Đã ghi {n} dòng vào {file}.</translation>
    </message>
    <message>
        <source>Exporting the audit trail…</source>
        <translation>Đang xuất nhật ký…</translation>
    </message>
</context>
<context>
    <name>BackgroundTask</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>Backup</name>
    <message>
        <source>The backup could not be made: {reason}. Nothing was changed.</source>
        <translation>Không tạo được bản sao lưu: {reason}. Chưa có gì bị thay đổi.</translation>
    </message>
    <message>
        <source>The backup {name} cannot be read: {reason}</source>
        <translation>Không đọc được bản sao lưu {name}: {reason}</translation>
    </message>
    <message>
        <source>it is not a da8desktop data file</source>
        <translation>đây không phải là tệp dữ liệu da8desktop</translation>
    </message>
    <message>
        <source>A restore of a backup was interrupted after the backup was put in place; it has now been finished. The file in use before it was kept as {kept}.</source>
        <translation>Lần khôi phục bản sao lưu trước đã bị ngắt sau khi bản sao lưu được đặt vào chỗ; việc khôi phục nay đã được hoàn tất. Tệp đang dùng trước đó được giữ lại là {kept}.</translation>
    </message>
    <message>
        <source>A restore of a backup was interrupted before it was complete; the data file was put back as it was, nothing is lost. Restore the backup again if you still want it.</source>
        <translation>Lần khôi phục bản sao lưu trước đã bị ngắt khi chưa xong; tệp dữ liệu đã được trả lại như cũ, không mất gì. Nếu vẫn muốn, hãy khôi phục lại bản sao lưu đó.</translation>
    </message>
    <message>
        <source>it says it holds {size} MB, far more than a data file compressed into {packed} MB can be (a damaged or crafted file)</source>
        <translation>tệp ghi là chứa {size} MB, nhiều hơn rất nhiều so với một tệp dữ liệu nén còn {packed} MB (tệp bị hỏng hoặc bị làm giả)</translation>
    </message>
    <message>
        <source>it needs {size} MB free on the disk and {free} MB are free; free some space first</source>
        <translation>cần {size} MB trống trên ổ đĩa nhưng chỉ còn {free} MB; hãy giải phóng dung lượng trước</translation>
    </message>
    <message>
        <source>it does not hold a da8desktop data file</source>
        <translation>tệp không chứa tệp dữ liệu da8desktop</translation>
    </message>
</context>
<context>
    <name>BackupsBox</name>
    <message>
        <source>Backups</source>
        <translation>Sao lưu</translation>
    </message>
    <message>
        <source>Made on</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Người</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Activities</source>
        <translation>Hoạt động</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Dung lượng</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>Sao lưu ngay</translation>
    </message>
    <message>
        <source>Restore the chosen backup…</source>
        <translation>Khôi phục bản sao lưu đã chọn…</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>hằng ngày</translation>
    </message>
    <message>
        <source>made by hand</source>
        <translation>sao lưu thủ công</translation>
    </message>
    <message>
        <source>before a sync import</source>
        <translation>trước khi nhập gói đồng bộ</translation>
    </message>
    <message>
        <source>before an Excel import</source>
        <translation>trước khi nhập từ Excel</translation>
    </message>
    <message>
        <source>before a restore</source>
        <translation>trước khi khôi phục</translation>
    </message>
    <message>
        <source>Reading the backups…</source>
        <translation>Đang đọc các bản sao lưu…</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>không đọc được</translation>
    </message>
    <message>
        <source>before an upgrade</source>
        <translation>trước khi nâng cấp</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Đang sao lưu…</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Khôi phục</translation>
    </message>
    <message>
        <source>Choose a backup in the list first.</source>
        <translation>Hãy chọn một bản sao lưu trong danh sách trước.</translation>
    </message>
    <message>
        <source>Go back to the data as it was on {date}: {people} people, {groups} groups, {activities} activities? Everything entered since then is set aside (the current file is kept in the backups folder, not deleted).</source>
        <translation>Đưa dữ liệu về như lúc {date}: {people} người, {groups} tổ/nhóm, {activities} hoạt động? Mọi thứ nhập sau thời điểm đó sẽ được để riêng (tệp hiện tại được giữ trong thư mục sao lưu, không bị xóa).</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>target {value}</source>
        <translation>chỉ tiêu {value}</translation>
    </message>
</context>
<context>
    <name>CaseDialog</name>
    <message>
        <source>Cases received</source>
        <translation>Vụ việc tiếp nhận</translation>
    </message>
    <message>
        <source>Edit cases</source>
        <translation>Sửa vụ việc</translation>
    </message>
    <message>
        <source>dd/mm/yyyy</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>Not known</source>
        <translation>Không rõ</translation>
    </message>
    <message>
        <source>Received on</source>
        <translation>Ngày tiếp nhận</translation>
    </message>
    <message>
        <source>Form of violence</source>
        <translation>Hình thức bạo lực</translation>
    </message>
    <message>
        <source>Support given</source>
        <translation>Hỗ trợ đã thực hiện</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Độ tuổi</translation>
    </message>
    <message>
        <source>Ethnic group</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <source>Number of cases</source>
        <translation>Số vụ việc</translation>
    </message>
    <message>
        <source>Only numbers are recorded: cases with the same answers go in one row. Never write a victim&apos;s name anywhere in the application.</source>
        <translation>Chỉ ghi số liệu: các vụ việc có cùng thông tin ghi chung một dòng. Không bao giờ ghi tên nạn nhân ở bất kỳ chỗ nào trong phần mềm.</translation>
    </message>
    <message>
        <source>Enter the day received.</source>
        <translation>Hãy nhập ngày tiếp nhận.</translation>
    </message>
</context>
<context>
    <name>Cases</name>
    <message>
        <source>Enter the day the cases were received, not later than today.</source>
        <translation>Nhập ngày tiếp nhận vụ việc, không muộn hơn hôm nay.</translation>
    </message>
    <message>
        <source>Choose the support given from the list.</source>
        <translation>Hãy chọn hình thức hỗ trợ trong danh sách.</translation>
    </message>
    <message>
        <source>Choose the ethnic group from the list, or leave it empty.</source>
        <translation>Hãy chọn dân tộc trong danh sách, hoặc để trống.</translation>
    </message>
</context>
<context>
    <name>CasesTab</name>
    <message>
        <source>Received on</source>
        <translation>Ngày tiếp nhận</translation>
    </message>
    <message>
        <source>Form of violence</source>
        <translation>Hình thức bạo lực</translation>
    </message>
    <message>
        <source>Support given</source>
        <translation>Hỗ trợ đã thực hiện</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Độ tuổi</translation>
    </message>
    <message>
        <source>Ethnic group</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Số vụ</translation>
    </message>
    <message>
        <source>Record cases…</source>
        <translation>Ghi vụ việc…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Sửa…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>Not known</source>
        <translation>Không rõ</translation>
    </message>
    <message>
        <source>{count} cases in {rows} rows</source>
        <translation>{count} vụ việc trong {rows} dòng</translation>
    </message>
</context>
<context>
    <name>Catalogue</name>
    <message>
        <source>Indicators</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Activity groups</source>
        <translation>Nhóm hoạt động</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Name in English</source>
        <translation>Tên tiếng Anh</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị tính</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Giai đoạn</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Cấp</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Quy tắc tính</translation>
    </message>
    <message>
        <source>Parameters (JSON)</source>
        <translation>Tham số (JSON)</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>Đang dùng</translation>
    </message>
    <message>
        <source>Programme content</source>
        <translation>Nội dung chương trình</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <source>{where}: the parameters are not a JSON object of names and values ({detail}).</source>
        <translation>{where}: tham số không phải là một đối tượng JSON gồm tên và giá trị ({detail}).</translation>
    </message>
    <message>
        <source>{file} has no sheet named &quot;{indicators}&quot; or &quot;{groups}&quot; with a &quot;{code}&quot; column. &quot;catalogue export&quot; writes a workbook of the right shape.</source>
        <translation>Tệp {file} không có trang tính &quot;{indicators}&quot; hay &quot;{groups}&quot; có cột &quot;{code}&quot;. Lệnh &quot;catalogue export&quot; tạo sẵn một tệp đúng mẫu.</translation>
    </message>
    <message>
        <source>Only the province edits the catalogue; a commune receives it with the province&apos;s bundles.</source>
        <translation>Chỉ tỉnh mới sửa danh mục; xã nhận danh mục qua các gói của tỉnh.</translation>
    </message>
    <message>
        <source>the code &quot;{code}&quot; is not a code (capital letters, digits, dots; at most 40).</source>
        <translation>mã &quot;{code}&quot; không hợp lệ (chữ in hoa, chữ số, dấu chấm; tối đa 40 ký tự).</translation>
    </message>
    <message>
        <source>the code {code} is listed twice.</source>
        <translation>mã {code} có hai lần.</translation>
    </message>
    <message>
        <source>{code} needs a name of at most 300 characters.</source>
        <translation>{code} cần có tên, tối đa 300 ký tự.</translation>
    </message>
    <message>
        <source>{code}: no programme content has the code {parent}.</source>
        <translation>{code}: không có nội dung chương trình nào mã {parent}.</translation>
    </message>
    <message>
        <source>{code}: the phase is 2021-2025 or 2026-2030.</source>
        <translation>{code}: giai đoạn phải là 2021-2025 hoặc 2026-2030.</translation>
    </message>
    <message>
        <source>{code}: the level is commune or village.</source>
        <translation>{code}: cấp phải là commune (xã) hoặc village (thôn, bản).</translation>
    </message>
    <message>
        <source>{code} needs a unit (at most 40 characters).</source>
        <translation>{code} cần có đơn vị tính (tối đa 40 ký tự).</translation>
    </message>
    <message>
        <source>{code}: this program does not know the rule &quot;{rule}&quot; (it knows: {rules}). Update the communes&apos; program first, then use the new rule.</source>
        <translation>{code}: chương trình không biết quy tắc tính &quot;{rule}&quot; (chỉ biết: {rules}). Hãy cập nhật chương trình cho các xã trước, rồi mới dùng quy tắc mới.</translation>
    </message>
    <message>
        <source>{code}: a percentage has the unit % and the rule share, and the rule share has the unit %.</source>
        <translation>{code}: chỉ tiêu tỷ lệ có đơn vị % và cách tính share; cách tính share phải có đơn vị %.</translation>
    </message>
    <message>
        <source>{code}: the rule share needs the parameters &quot;of&quot; ({measures}) and &quot;part&quot; ({parts}).</source>
        <translation>{code}: cách tính share cần tham số &quot;of&quot; ({measures}) và &quot;part&quot; ({parts}).</translation>
    </message>
    <message>
        <source>{count} rows of the sheet were refused, so the catalogue was not changed. Correct them and import the sheet again.</source>
        <translation>{count} dòng trong bảng bị từ chối nên danh mục chưa thay đổi. Hãy sửa các dòng đó rồi nhập lại.</translation>
    </message>
    <message>
        <source>{code}: the indicator has no computation rule.</source>
        <translation>{code}: chỉ tiêu không có quy tắc tính.</translation>
    </message>
    <message>
        <source>it would retire indicators that this province&apos;s targets use ({codes}); their figures would disappear from the reports. Ask the centre, or remove those targets first.</source>
        <translation>danh mục này sẽ bỏ những chỉ tiêu mà chỉ tiêu giao của tỉnh đang dùng ({codes}); số liệu của chúng sẽ biến mất khỏi các báo cáo. Hãy hỏi lại Trung ương, hoặc xóa các chỉ tiêu giao đó trước.</translation>
    </message>
</context>
<context>
    <name>CatalogueDialog</name>
    <message>
        <source>Catalogue of indicators</source>
        <translation>Danh mục chỉ tiêu</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị tính</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Giai đoạn</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Quy tắc tính</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Tham số</translation>
    </message>
    <message>
        <source>Programme content</source>
        <translation>Nội dung chương trình</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Activity groups</source>
        <translation>Nhóm hoạt động</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>Xuất ra Excel…</translation>
    </message>
    <message>
        <source>Import an edited workbook…</source>
        <translation>Nhập tệp đã sửa…</translation>
    </message>
    <message>
        <source>Version of the indicators: {ind}; of the activity groups: {groups}.</source>
        <translation>Phiên bản danh mục chỉ tiêu: {ind}; nhóm hoạt động: {groups}.</translation>
    </message>
    <message>
        <source>Export it, edit it in Excel (add a row, change a row, write &quot;no&quot; under In use to retire one) and import it: the communes receive the new version with the next bundles.</source>
        <translation>Xuất ra, sửa trong Excel (thêm dòng, sửa dòng, ghi &quot;không&quot; ở cột Đang dùng để ngừng dùng) rồi nhập lại: các xã nhận phiên bản mới qua các gói tiếp theo.</translation>
    </message>
    <message>
        <source>The province sends a new version with its bundles.</source>
        <translation>Tỉnh gửi phiên bản mới kèm theo các gói.</translation>
    </message>
    <message>
        <source>Export the catalogue</source>
        <translation>Xuất danh mục</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Import an edited catalogue</source>
        <translation>Nhập danh mục đã sửa</translation>
    </message>
    <message>
        <source>Added: {codes}</source>
        <translation>Thêm: {codes}</translation>
    </message>
    <message>
        <source>Changed: {codes}</source>
        <translation>Sửa: {codes}</translation>
    </message>
    <message>
        <source>Retired: {codes}</source>
        <translation>Ngừng dùng: {codes}</translation>
    </message>
    <message>
        <source>Nothing was saved: {n} rows are refused. Correct them and import again.

{rows}</source>
        <translation>Chưa lưu gì: {n} dòng bị từ chối. Hãy sửa rồi nhập lại.

{rows}</translation>
    </message>
    <message>
        <source>The workbook changes nothing.</source>
        <translation>Tệp không thay đổi gì.</translation>
    </message>
    <message>
        <source>Save this as a new version of the catalogue? The communes receive it with the next bundles.

{lines}</source>
        <translation>Lưu thành phiên bản danh mục mới? Các xã nhận được qua các gói tiếp theo.

{lines}</translation>
    </message>
</context>
<context>
    <name>Central</name>
    <message>
        <source>Only the centre&apos;s data file, set up with &apos;central init&apos;, can enrol provinces.</source>
        <translation>Chỉ tệp dữ liệu của Trung ương (thiết lập bằng &apos;central init&apos;) mới đăng ký được các tỉnh.</translation>
    </message>
    <message>
        <source>Only a province data file set up with &apos;province init&apos; can connect to the centre.</source>
        <translation>Chỉ tệp dữ liệu của tỉnh (thiết lập bằng &apos;province init&apos;) mới kết nối được với Trung ương.</translation>
    </message>
    <message>
        <source>{code} is not the code of a province (two digits, the 2025 list).</source>
        <translation>{code} không phải mã tỉnh (hai chữ số, theo danh mục năm 2025).</translation>
    </message>
    <message>
        <source>The digits typed ({typed}) are not the fingerprint of the centre in {file}. Nothing was changed. Read the digits again with the centre by phone; if they really differ, this file was not made by the centre: do not use it.</source>
        <translation>Các chữ số đã gõ ({typed}) không phải mã nhận dạng của Trung ương trong tệp {file}. Chưa thay đổi gì. Hãy gọi điện đọc lại mã với Trung ương; nếu vẫn khác thì tệp này không do Trung ương tạo: đừng dùng tệp này.</translation>
    </message>
    <message>
        <source>{file} is the setup file of {province}, not of this province. Nothing was changed: ask the centre for this province&apos;s setup file.</source>
        <translation>{file} là tệp thiết lập của {province}, không phải của tỉnh này. Chưa thay đổi gì: hãy xin Trung ương tệp thiết lập của tỉnh mình.</translation>
    </message>
    <message>
        <source>This province is already connected to the centre (fingerprint {f}). Nothing was changed.</source>
        <translation>Tỉnh này đã kết nối với Trung ương (mã nhận dạng {f}). Chưa thay đổi gì.</translation>
    </message>
    <message>
        <source>This setup file was used already. Nothing was changed.</source>
        <translation>Tệp thiết lập này đã được dùng rồi. Chưa thay đổi gì.</translation>
    </message>
    <message>
        <source>No computer of {province} is waiting for confirmation. Import its first bundle first, then confirm it.</source>
        <translation>Không có máy nào của {province} đang chờ xác nhận. Hãy nhập gói đầu tiên của tỉnh trước, rồi mới xác nhận.</translation>
    </message>
    <message>
        <source>The digits typed ({typed}) are not the fingerprint of the computer of {province} waiting for confirmation. Nothing was confirmed. Read the digits again with the province officer.</source>
        <translation>Các chữ số đã gõ ({typed}) không phải mã nhận dạng của máy {province} đang chờ xác nhận. Chưa xác nhận gì. Hãy đọc lại mã với cán bộ tỉnh.</translation>
    </message>
    <message>
        <source>{file} is not a valid setup file from the centre ({detail}). Nothing was changed: ask the centre for a new setup file of this province.</source>
        <translation>{file} không phải tệp thiết lập hợp lệ của Trung ương ({detail}). Chưa thay đổi gì: hãy xin Trung ương tệp thiết lập mới cho tỉnh.</translation>
    </message>
    <message>
        <source>{file} is a sync bundle, not a setup file. Ask the centre for the setup file of this province.</source>
        <translation>{file} là tệp đồng bộ, không phải tệp thiết lập. Hãy xin trung ương tệp thiết lập của tỉnh này.</translation>
    </message>
    <message>
        <source>The file {file} is not a bundle this computer takes (a province sends figures to the centre; the centre sends catalogues to a province). Nothing was imported.</source>
        <translation>Tệp {file} không phải loại gói máy này nhận (tỉnh gửi số liệu lên Trung ương; Trung ương gửi danh mục xuống tỉnh). Chưa nhập gì.</translation>
    </message>
    <message>
        <source>{file} is older than the figures already here from {province}; nothing changed.</source>
        <translation>{file} cũ hơn số liệu của {province} đã có ở đây; không thay đổi gì.</translation>
    </message>
    <message>
        <source>The file {file} asks to register a computer of tỉnh {province} with an enrolment code that is wrong or already used. Nothing was imported; make a new setup file for that province.</source>
        <translation>Tệp {file} xin đăng ký một máy của tỉnh {province} bằng mã đăng ký sai hoặc đã dùng. Chưa nhập gì; hãy tạo tệp thiết lập mới cho tỉnh đó.</translation>
    </message>
    <message>
        <source>The computer of {province} that made {file} is registered but not confirmed yet, so none of its figures were imported. Compare its fingerprint {fingerprint} with the province officer by phone, confirm it (da8desktop central confirm --province-code {code} --fingerprint &quot;DIGITS&quot;), then import this file again.</source>
        <translation>Máy của {province} đã tạo tệp {file} đã được đăng ký nhưng chưa được xác nhận, nên chưa nhập số liệu nào của tỉnh. Hãy gọi điện so mã nhận dạng {fingerprint} với cán bộ tỉnh, xác nhận máy (da8desktop central confirm --province-code {code} --fingerprint &quot;CÁC_CHỮ_SỐ&quot;), rồi nhập lại tệp này.</translation>
    </message>
    <message>
        <source>The file {file} carries figures of {count} communes that are not communes of {province} (for example xã {example}). Nothing was imported: a province may send only its own communes&apos; figures. Keep the file and check the computer that made it.</source>
        <translation>Tệp {file} mang số liệu của {count} xã không thuộc {province} (ví dụ xã {example}). Chưa nhập gì: mỗi tỉnh chỉ được gửi số liệu các xã của mình. Hãy giữ tệp và kiểm tra máy đã tạo ra nó.</translation>
    </message>
    <message>
        <source>The centre&apos;s file {file} holds a catalogue ({catalogue} {version}) that this province cannot use: {problem} Nothing was imported; the figures are unchanged.</source>
        <translation>Tệp {file} của Trung ương có danh mục ({catalogue} {version}) mà tỉnh không dùng được: {problem} Không có gì được nhập; số liệu không thay đổi.</translation>
    </message>
</context>
<context>
    <name>CentralLinkBox</name>
    <message>
        <source>Connect to the centre…</source>
        <translation>Kết nối với Trung ương…</translation>
    </message>
    <message>
        <source>Centre: not connected. When the Central Women&apos;s Union gives you its setup file, connect to it: the province then sends it its figures (no personal data).</source>
        <translation>Trung ương: chưa kết nối. Khi Trung ương Hội gửi tệp thiết lập, hãy kết nối: từ đó tỉnh gửi số liệu lên Trung ương (không có dữ liệu cá nhân).</translation>
    </message>
    <message>
        <source>confirmed: the centre takes this province&apos;s figures</source>
        <translation>đã xác nhận: Trung ương nhận số liệu của tỉnh</translation>
    </message>
    <message>
        <source>waiting: the centre has not taken this province&apos;s figures yet (it confirms this province&apos;s fingerprint first)</source>
        <translation>đang chờ: Trung ương chưa nhận số liệu của tỉnh (Trung ương cần xác nhận mã nhận dạng của tỉnh trước)</translation>
    </message>
    <message>
        <source>Centre: {central}, {state}.</source>
        <translation>Trung ương: {central}, {state}.</translation>
    </message>
    <message>
        <source>Last figures bundle for the centre: {when}. Received from the centre: indicators version {ind}, activity groups version {groups}.</source>
        <translation>Gói số liệu gần nhất gửi Trung ương: {when}. Nhận từ Trung ương: danh mục chỉ tiêu phiên bản {ind}, nhóm hoạt động phiên bản {groups}.</translation>
    </message>
</context>
<context>
    <name>CentralPage</name>
    <message>
        <source>Province</source>
        <translation>Tỉnh</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Double-click a province to see its communes.</source>
        <translation>Nhấp đúp vào một tỉnh để xem các xã của tỉnh.</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <source>Provinces&apos; figures</source>
        <translation>Số liệu các tỉnh</translation>
    </message>
    <message>
        <source>Read only: each province computes its communes&apos; figures and sends them with its bundle (figures only, never a person&apos;s record). A cell shows the value reached, and the target after a slash.</source>
        <translation>Chỉ xem: mỗi tỉnh tự tính số liệu các xã và gửi kèm gói (chỉ số liệu, không bao giờ có hồ sơ của ai). Mỗi ô ghi giá trị đạt được, sau dấu gạch chéo là chỉ tiêu được giao.</translation>
    </message>
    <message>
        <source>Last bundle</source>
        <translation>Gói gần nhất</translation>
    </message>
    <message>
        <source>waiting for its first bundle</source>
        <translation>đang chờ gói đầu tiên</translation>
    </message>
    <message>
        <source>Communes of {province}</source>
        <translation>Các xã của {province}</translation>
    </message>
</context>
<context>
    <name>CentralSyncPage</name>
    <message>
        <source>Import the provinces&apos; bundles…</source>
        <translation>Nhập gói của các tỉnh…</translation>
    </message>
    <message>
        <source>Write the catalogue bundles for the provinces…</source>
        <translation>Viết gói danh mục cho các tỉnh…</translation>
    </message>
    <message>
        <source>Make a setup file for a province…</source>
        <translation>Tạo tệp thiết lập cho một tỉnh…</translation>
    </message>
    <message>
        <source>Confirm a province&apos;s computer…</source>
        <translation>Xác nhận máy của một tỉnh…</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>Tỉnh</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Mã nhận dạng</translation>
    </message>
    <message>
        <source>Last bundle</source>
        <translation>Gói gần nhất</translation>
    </message>
    <message>
        <source>Send and receive</source>
        <translation>Gửi và nhận</translation>
    </message>
    <message>
        <source>Fingerprint of the centre: {f}. Each province connects with its setup file and sends its figures (never a person&apos;s record); the centre sends down its catalogue.</source>
        <translation>Mã nhận dạng của Trung ương: {f}. Mỗi tỉnh kết nối bằng tệp thiết lập của mình và gửi số liệu lên (không bao giờ có hồ sơ của ai); Trung ương gửi danh mục xuống.</translation>
    </message>
    <message>
        <source>setup file made</source>
        <translation>đã tạo tệp thiết lập</translation>
    </message>
    <message>
        <source>waiting for confirmation</source>
        <translation>chờ xác nhận</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>đã xác nhận</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>đã thu hồi</translation>
    </message>
    <message>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>cập nhật</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>không đổi</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>xóa</translation>
    </message>
    <message>
        <source>Bundles from the provinces</source>
        <translation>Gói từ các tỉnh</translation>
    </message>
    <message>
        <source>All files (*);;da8desktop bundles (*.da8)</source>
        <translation>Mọi tệp (*);;Gói da8desktop (*.da8)</translation>
    </message>
    <message>
        <source>Checking the bundles…</source>
        <translation>Đang kiểm tra gói…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <source>No bundle found.</source>
        <translation>Không tìm thấy gói nào.</translation>
    </message>
    <message>
        <source>Import these bundles?</source>
        <translation>Nhập các gói này?</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <source>Compressing the restore point…</source>
        <translation>Đang nén điểm khôi phục…</translation>
    </message>
    <message>
        <source>Folder on the USB stick</source>
        <translation>Thư mục trên USB</translation>
    </message>
    <message>
        <source>{n} bundle(s) written:
{files}</source>
        <translation>Đã viết {n} gói:
{files}</translation>
    </message>
    <message>
        <source>Setup file</source>
        <translation>Tệp thiết lập</translation>
    </message>
    <message>
        <source>Setup file for {province} written:
{path}

Give it to the province officer and read them the centre&apos;s fingerprint by phone. When their first bundle arrives, confirm their computer with the fingerprint they read to you.</source>
        <translation>Đã viết tệp thiết lập cho {province}:
{path}

Hãy đưa tệp cho cán bộ tỉnh và đọc mã nhận dạng của Trung ương cho họ qua điện thoại. Khi gói đầu tiên của tỉnh đến, hãy xác nhận máy của tỉnh bằng mã nhận dạng họ đọc cho bạn.</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>No province&apos;s computer is waiting for confirmation: import its first bundle first.</source>
        <translation>Không có máy nào của tỉnh đang chờ xác nhận: hãy nhập gói đầu tiên của tỉnh trước.</translation>
    </message>
    <message>
        <source>The fingerprint the province officer reads to you by phone:</source>
        <translation>Mã nhận dạng cán bộ tỉnh đọc cho bạn qua điện thoại:</translation>
    </message>
    <message>
        <source>Confirmed. Import that province&apos;s bundle again to take its figures.</source>
        <translation>Đã xác nhận. Hãy nhập lại gói của tỉnh đó để nhận số liệu.</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>fill the data file with a realistic demo commune (or add demo data to it)</source>
        <translation>tạo dữ liệu mẫu của một xã để dùng thử (hoặc thêm dữ liệu mẫu)</translation>
    </message>
    <message>
        <source>the same seed always gives the same data (default 1)</source>
        <translation>cùng một số seed luôn cho cùng dữ liệu (mặc định 1)</translation>
    </message>
    <message>
        <source>how many people to create (default 400)</source>
        <translation>số người cần tạo (mặc định 400)</translation>
    </message>
    <message>
        <source>a demo province (Tỉnh Điện Biên) with three demo communes that sent bundles, targets, a conflict and a refused record; also what demo does on a province file</source>
        <translation>một tỉnh mẫu (Tỉnh Điện Biên) với ba xã mẫu đã gửi gói, có chỉ tiêu, một xung đột và một bản ghi bị từ chối; lệnh demo trên tệp của tỉnh cũng làm như vậy</translation>
    </message>
    <message>
        <source>show who this data file belongs to and how many records it holds</source>
        <translation>cho biết tệp dữ liệu thuộc đơn vị nào và có bao nhiêu bản ghi</translation>
    </message>
    <message>
        <source>print JSON for scripts instead of text</source>
        <translation>in JSON cho các chương trình khác thay vì văn bản</translation>
    </message>
    <message>
        <source>make, list and restore backups of the data file</source>
        <translation>tạo, liệt kê và khôi phục bản sao lưu của tệp dữ liệu</translation>
    </message>
    <message>
        <source>make a backup now</source>
        <translation>tạo bản sao lưu ngay</translation>
    </message>
    <message>
        <source>list the backups, newest first, with what they contain</source>
        <translation>liệt kê các bản sao lưu, mới nhất trước, kèm nội dung</translation>
    </message>
    <message>
        <source>put a backup in place of the data file (the current file is kept aside)</source>
        <translation>dùng một bản sao lưu thay cho tệp dữ liệu (tệp hiện tại được cất riêng)</translation>
    </message>
    <message>
        <source>the newest backup that can be read</source>
        <translation>bản sao lưu mới nhất đọc được</translation>
    </message>
    <message>
        <source>a backup name shown by: backup list</source>
        <translation>tên bản sao lưu, xem bằng lệnh: backup list</translation>
    </message>
    <message>
        <source>check that this installation works (temporary files only)</source>
        <translation>kiểm tra bản cài đặt này có chạy đúng không (chỉ dùng tệp tạm)</translation>
    </message>
    <message>
        <source>the person registry</source>
        <translation>danh sách người</translation>
    </message>
    <message>
        <source>list people in the same order as the People page</source>
        <translation>liệt kê người theo đúng thứ tự của trang Người</translation>
    </message>
    <message>
        <source>only people whose name contains these words (accents optional)</source>
        <translation>chỉ những người có tên chứa các từ này (gõ có dấu hoặc không dấu)</translation>
    </message>
    <message>
        <source>only members of this group</source>
        <translation>chỉ thành viên của tổ/nhóm này</translation>
    </message>
    <message>
        <source>write people to an Excel workbook (.xlsx)</source>
        <translation>ghi danh sách người ra tệp Excel (.xlsx)</translation>
    </message>
    <message>
        <source>the sheet to read (default: the active one)</source>
        <translation>trang tính cần đọc (mặc định: trang đang mở)</translation>
    </message>
    <message>
        <source>also make everyone imported a member of this group</source>
        <translation>đồng thời đưa mọi người được nhập vào tổ/nhóm này</translation>
    </message>
    <message>
        <source>only show what would be imported; write nothing</source>
        <translation>chỉ xem trước kết quả; không ghi gì</translation>
    </message>
    <message>
        <source>with --column: the row number of the column titles</source>
        <translation>dùng với --column: số thứ tự của dòng tiêu đề cột</translation>
    </message>
    <message>
        <source>add people from an existing list (.xlsx, .xls or .csv)</source>
        <translation>thêm người từ danh sách có sẵn (.xlsx, .xls hoặc .csv)</translation>
    </message>
    <message>
        <source>Without --db, fills the separate demo file (demo.sqlite in your data folder, never your own data file) and the window opens it next. On a new data file, sets it up as a stand-alone demo commune (Xã Mường Phăng, Điện Biên) and fills it. On a file already set up for a commune, adds demo data for that commune. Run again with another --seed to add more.</source>
        <translation>Khi không có --db, điền vào tệp mẫu riêng (demo.sqlite trong thư mục dữ liệu, không bao giờ là tệp dữ liệu của bạn) và lần mở cửa sổ tiếp theo sẽ mở tệp này. Với một tệp dữ liệu mới, thiết lập thành một xã mẫu độc lập (Xã Mường Phăng, Điện Biên) rồi điền dữ liệu. Với một tệp đã thiết lập cho một xã, thêm dữ liệu mẫu cho xã đó. Chạy lại với --seed khác để thêm nữa.</translation>
    </message>
    <message>
        <source>map a column by hand when the titles are not recognised, e.g. B=full_name (fields: full_name, birth, year_if_male, year_if_female, sex, ethnic, village, role, phone, cccd, note, group); may be repeated</source>
        <translation>tự chọn nghĩa của một cột khi không nhận ra tiêu đề, ví dụ B=full_name (trường: full_name, birth, year_if_male, year_if_female, sex, ethnic, village, role, phone, cccd, note, group); dùng được nhiều lần</translation>
    </message>
    <message>
        <source>a value for a column the sheet lacks or a cell left empty, e.g. sex=Nữ or village=&quot;Bản Nà Phá&quot; (fields: sex, village, group, role, ethnic); may be repeated</source>
        <translation>giá trị cho cột mà danh sách không có hoặc ô để trống, ví dụ sex=Nữ hoặc village=&quot;Bản Nà Phá&quot; (trường: sex, village, group, role, ethnic); dùng được nhiều lần</translation>
    </message>
    <message>
        <source>put the people of a village the commune does not have into an existing one instead of creating it, e.g. &quot;Ban Na Pha=Bản Nà Phá&quot;; may be repeated</source>
        <translation>đưa người của một thôn mà xã chưa có vào một thôn đã có thay vì tạo thôn mới, ví dụ &quot;Ban Na Pha=Bản Nà Phá&quot;; dùng được nhiều lần</translation>
    </message>
    <message>
        <source>import a person written twice in the file twice (default: the later row is skipped)</source>
        <translation>nhập cả người được ghi hai lần trong tệp (mặc định: bỏ qua dòng sau)</translation>
    </message>
    <message>
        <source>print member lists and sign-in sheets to PDF</source>
        <translation>in danh sách thành viên và danh sách ký nhận ra PDF</translation>
    </message>
    <message>
        <source>the member list of a group, or of every group</source>
        <translation>danh sách thành viên của một tổ/nhóm hoặc của mọi tổ/nhóm</translation>
    </message>
    <message>
        <source>the group, by name (accents optional)</source>
        <translation>tổ/nhóm, theo tên (gõ có dấu hoặc không dấu)</translation>
    </message>
    <message>
        <source>every active group, one section each</source>
        <translation>mọi tổ/nhóm đang hoạt động, mỗi tổ một phần</translation>
    </message>
    <message>
        <source>the PDF file to write</source>
        <translation>tệp PDF cần ghi</translation>
    </message>
    <message>
        <source>add the CCCD column (personal data: only when needed)</source>
        <translation>thêm cột CCCD (dữ liệu cá nhân: chỉ khi cần)</translation>
    </message>
    <message>
        <source>add the phone column</source>
        <translation>thêm cột số điện thoại</translation>
    </message>
    <message>
        <source>the sign-in sheet of a meeting</source>
        <translation>danh sách ký nhận của một buổi sinh hoạt</translation>
    </message>
    <message>
        <source>the id of the meeting, training, dialogue or event (shown by the GUI and in exports)</source>
        <translation>mã của cuộc họp, lớp tập huấn, cuộc đối thoại hoặc sự kiện (hiện trong giao diện và trong các tệp xuất)</translation>
    </message>
    <message>
        <source>N empty rows: with --title for an activity not recorded yet, or for an activity with no list</source>
        <translation>N dòng trống: dùng với --title cho hoạt động chưa được ghi nhận, hoặc cho hoạt động chưa có danh sách</translation>
    </message>
    <message>
        <source>the title of a blank sheet</source>
        <translation>tiêu đề của phiếu trống</translation>
    </message>
    <message>
        <source>Demo data for seed {seed} is already in this file; nothing was added.</source>
        <translation>Dữ liệu mẫu với seed {seed} đã có trong tệp này; không thêm gì.</translation>
    </message>
    <message>
        <source>Demo data added (seed {seed}): {people} people, {groups} groups, {meetings} meetings, {activities} other activities.</source>
        <translation>Đã thêm dữ liệu mẫu (seed {seed}): {people} người, {groups} tổ/nhóm, {meetings} buổi sinh hoạt, {activities} hoạt động khác.</translation>
    </message>
    <message>
        <source>This is a separate demo file; your own data file is not touched. `da8desktop` now opens the demo; File › Leave the demo goes back to your own file.</source>
        <translation>Đây là tệp mẫu riêng; tệp dữ liệu của bạn không bị động tới. Lệnh `da8desktop` giờ sẽ mở xã mẫu; Tệp › Rời xã mẫu để quay về tệp của bạn.</translation>
    </message>
    <message>
        <source>This data file already holds the demo province; nothing was added.</source>
        <translation>Tệp dữ liệu này đã có tỉnh mẫu; không thêm gì.</translation>
    </message>
    <message>
        <source>Demo province made: {communes} communes sent {bundles} bundles; {targets} targets allocated; {conflicts} conflict(s) and {refused} refused record(s) to look at.</source>
        <translation>Đã tạo tỉnh mẫu: {communes} xã đã gửi {bundles} gói; đã giao {targets} chỉ tiêu; có {conflicts} xung đột và {refused} bản ghi bị từ chối để xem.</translation>
    </message>
    <message>
        <source>This data file is not set up yet.</source>
        <translation>Tệp dữ liệu này chưa được thiết lập.</translation>
    </message>
    <message>
        <source>{organisation} — {unit}, {province} (site {site})</source>
        <translation>{organisation} — {unit}, {province} (mã máy {site})</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Người</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Memberships</source>
        <translation>Lượt thành viên</translation>
    </message>
    <message>
        <source>Group meetings</source>
        <translation>Buổi sinh hoạt tổ/nhóm</translation>
    </message>
    <message>
        <source>Attendance rows</source>
        <translation>Lượt điểm danh</translation>
    </message>
    <message>
        <source>Other activities (with counts)</source>
        <translation>Hoạt động khác (theo số lượng)</translation>
    </message>
    <message>
        <source>Safe-delivery supports</source>
        <translation>Lượt hỗ trợ sinh đẻ an toàn</translation>
    </message>
    <message>
        <source>Trusted-address cases</source>
        <translation>Vụ việc tại Địa chỉ tin cậy</translation>
    </message>
    <message>
        <source>No group is called &quot;{name}&quot;.</source>
        <translation>Không có tổ/nhóm nào tên &quot;{name}&quot;.</translation>
    </message>
    <message>
        <source>Several groups match &quot;{name}&quot;: {groups}. Give more of the name.</source>
        <translation>Có nhiều tổ/nhóm khớp với &quot;{name}&quot;: {groups}. Hãy gõ đầy đủ tên hơn.</translation>
    </message>
    <message>
        <source>{rows} people written to {file}</source>
        <translation>Đã ghi {rows} người vào {file}</translation>
    </message>
    <message>
        <source>{pages} page(s) written to {file}</source>
        <translation>Đã ghi {pages} trang vào {file}</translation>
    </message>
    <message>
        <source>Give either --meeting ID, or --title TEXT (with --blank N) for a blank sheet.</source>
        <translation>Hãy nhập --meeting MÃ, hoặc --title TIÊU ĐỀ (kèm --blank N) để in phiếu trống.</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a meeting id.</source>
        <translation>&quot;{value}&quot; không phải mã buổi sinh hoạt.</translation>
    </message>
    <message>
        <source>Backups here are for data files; back up a database server with its own tools.</source>
        <translation>Lệnh này sao lưu tệp dữ liệu; máy chủ cơ sở dữ liệu cần sao lưu bằng công cụ riêng của nó.</translation>
    </message>
    <message>
        <source>{people} people, {groups} groups, {activities} activities</source>
        <translation>{people} người, {groups} tổ/nhóm, {activities} hoạt động</translation>
    </message>
    <message>
        <source>Backups in all: {total} (the data file: {data}).</source>
        <translation>Tổng dung lượng các bản sao lưu: {total} (tệp dữ liệu: {data}).</translation>
    </message>
    <message>
        <source>No such backup. See the list with: da8desktop --db &quot;{file}&quot; backup list</source>
        <translation>Không có bản sao lưu này. Xem danh sách bằng lệnh: da8desktop --db &quot;{file}&quot; backup list</translation>
    </message>
    <message>
        <source>Restored {name}. The previous file was kept as {kept}.</source>
        <translation>Đã khôi phục {name}. Tệp trước đó được giữ tại {kept}.</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a column mapping like B=full_name.</source>
        <translation>&quot;{value}&quot; không phải cách ghi cột như B=full_name.</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not written like {example}.</source>
        <translation>&quot;{value}&quot; chưa được viết theo dạng {example}.</translation>
    </message>
    <message>
        <source>{file} is a folder. Give the Excel file (.xlsx) inside it.</source>
        <translation>{file} là một thư mục. Hãy chỉ ra tệp Excel (.xlsx) nằm trong thư mục đó.</translation>
    </message>
    <message>
        <source>The file {file} does not exist.</source>
        <translation>Không có tệp {file}.</translation>
    </message>
    <message>
        <source>The list has no column for the sex: give it with --default sex=Nữ (or Nam).</source>
        <translation>Danh sách không có cột giới tính: hãy ghi thêm --default sex=Nữ (hoặc Nam).</translation>
    </message>
    <message>
        <source>New villages: {names}</source>
        <translation>Thôn mới: {names}</translation>
    </message>
    <message>
        <source>{new} new, {matched} already registered, {rejected} refused — {written}</source>
        <translation>{new} người mới, {matched} người đã có, {rejected} dòng bị từ chối — {written}</translation>
    </message>
    <message>
        <source>nothing written (dry run)</source>
        <translation>chưa ghi gì (xem trước)</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>đã lưu</translation>
    </message>
    <message>
        <source>commands</source>
        <translation>các lệnh</translation>
    </message>
    <message>
        <source>options</source>
        <translation>tùy chọn</translation>
    </message>
    <message>
        <source>Error: {message}. Run with --help to see what is possible.</source>
        <translation>Lỗi: {message}. Chạy với --help để xem các lệnh có thể dùng.</translation>
    </message>
    <message>
        <source>usage: </source>
        <translation>cách dùng: </translation>
    </message>
    <message>
        <source>da8desktop keeps the records of Project 8 (gender equality, women and children) on this computer: groups, people, meetings and activities.
Without a command it opens the application window.</source>
        <translation>da8desktop lưu hồ sơ Dự án 8 (bình đẳng giới, phụ nữ và trẻ em) trên máy tính này: tổ/nhóm, người, buổi sinh hoạt và hoạt động.
Không có lệnh thì mở cửa sổ chương trình.</translation>
    </message>
    <message>
        <source>show this help and exit</source>
        <translation>hiện hướng dẫn này rồi thoát</translation>
    </message>
    <message>
        <source>show the version and exit</source>
        <translation>hiện phiên bản rồi thoát</translation>
    </message>
    <message>
        <source>the data file to use (default: da8desktop.sqlite in your data folder)</source>
        <translation>tệp dữ liệu cần dùng (mặc định: da8desktop.sqlite trong thư mục dữ liệu của bạn)</translation>
    </message>
    <message>
        <source>a database address instead of a file, e.g. postgresql+psycopg://… for a province server</source>
        <translation>địa chỉ cơ sở dữ liệu thay cho tệp, ví dụ postgresql+psycopg://… cho máy chủ của tỉnh</translation>
    </message>
    <message>
        <source>language of messages: vi (Vietnamese, default) or en (English)</source>
        <translation>ngôn ngữ hiển thị: vi (tiếng Việt, mặc định) hoặc en (tiếng Anh)</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Đã dừng.</translation>
    </message>
    <message>
        <source>An unexpected error happened; nothing more was changed. Please send this file to the support team: {log}</source>
        <translation>Đã xảy ra lỗi ngoài dự kiến; dữ liệu không bị thay đổi thêm. Vui lòng gửi tệp này cho bộ phận hỗ trợ: {log}</translation>
    </message>
    <message>
        <source>set up a province data file and enrol its communes</source>
        <translation>thiết lập tệp dữ liệu của tỉnh và đăng ký các xã</translation>
    </message>
    <message>
        <source>set up a new data file for a province (makes its keys)</source>
        <translation>thiết lập tệp dữ liệu mới cho một tỉnh (tạo khóa của tỉnh)</translation>
    </message>
    <message>
        <source>the province code of the 2025 list, e.g. 11 for Điện Biên</source>
        <translation>mã tỉnh theo danh mục 2025, ví dụ 11 là Điện Biên</translation>
    </message>
    <message>
        <source>make the setup file for one commune computer</source>
        <translation>tạo tệp thiết lập cho một máy tính của xã</translation>
    </message>
    <message>
        <source>the Central Women&apos;s Union: set up its data file and enrol the provinces</source>
        <translation>Trung ương Hội LHPN: thiết lập tệp dữ liệu và đăng ký các tỉnh</translation>
    </message>
    <message>
        <source>set up a new data file for the centre (makes its keys)</source>
        <translation>thiết lập tệp dữ liệu mới cho Trung ương (tạo khóa)</translation>
    </message>
    <message>
        <source>make the setup file for one province</source>
        <translation>tạo tệp thiết lập cho một tỉnh</translation>
    </message>
    <message>
        <source>folder to write the setup file to (e.g. the USB stick)</source>
        <translation>thư mục ghi tệp thiết lập (ví dụ USB)</translation>
    </message>
    <message>
        <source>trust a province&apos;s computer once its fingerprint was read out by phone (until then its figures are not taken)</source>
        <translation>tin cậy máy của một tỉnh sau khi đã đọc mã nhận dạng qua điện thoại (trước đó chưa nhận số liệu của tỉnh)</translation>
    </message>
    <message>
        <source>connect this province to the centre with the centre&apos;s setup file (prints this province&apos;s fingerprint)</source>
        <translation>kết nối tỉnh này với Trung ương bằng tệp thiết lập của Trung ương (in mã nhận dạng của tỉnh)</translation>
    </message>
    <message>
        <source>the centre&apos;s fingerprint as the centre reads it out by phone (spaces allowed); without it you are asked to type it</source>
        <translation>mã nhận dạng của Trung ương do Trung ương đọc qua điện thoại (được có dấu cách); nếu bỏ trống, chương trình sẽ hỏi</translation>
    </message>
    <message>
        <source>The centre&apos;s data file is set up.</source>
        <translation>Đã thiết lập tệp dữ liệu của Trung ương.</translation>
    </message>
    <message>
        <source>Fingerprint of the centre: {fingerprint}</source>
        <translation>Mã nhận dạng của Trung ương: {fingerprint}</translation>
    </message>
    <message>
        <source>Setup file for {province}. Give it to the province officer with the centre&apos;s fingerprint read by phone; the province&apos;s first bundle registers it.</source>
        <translation>Tệp thiết lập cho {province}. Hãy đưa cho cán bộ tỉnh và đọc mã nhận dạng của Trung ương qua điện thoại; gói đầu tiên của tỉnh sẽ đăng ký máy.</translation>
    </message>
    <message>
        <source>Confirmed: the computer of {province} with fingerprint {f}. Import its bundle again to take its figures.</source>
        <translation>Đã xác nhận máy của {province} có mã nhận dạng {f}. Hãy nhập lại gói của tỉnh để nhận số liệu.</translation>
    </message>
    <message>
        <source>Connected to {central}. Read this province&apos;s fingerprint above to the centre: the centre confirms it. From now on &apos;sync export&apos; also writes the bundle for the centre (figures only, no personal data).</source>
        <translation>Đã kết nối với {central}. Hãy đọc mã nhận dạng của tỉnh ở trên cho Trung ương để Trung ương xác nhận. Từ nay &apos;sync export&apos; viết thêm gói cho Trung ương (chỉ số liệu, không có dữ liệu cá nhân).</translation>
    </message>
    <message>
        <source>Nothing was changed: the centre&apos;s fingerprint must be compared first. Call the centre, ask them to read their fingerprint, and give it with --central-fingerprint &quot;DIGITS&quot;.</source>
        <translation>Chưa thay đổi gì: phải so mã nhận dạng của Trung ương trước. Hãy gọi Trung ương, nhờ đọc mã nhận dạng, rồi nhập bằng --central-fingerprint &quot;CÁC_CHỮ_SỐ&quot;.</translation>
    </message>
    <message>
        <source>Setup file of the centre for {province}. Fingerprint of the centre in this file: {f}</source>
        <translation>Tệp thiết lập của Trung ương cho {province}. Mã nhận dạng của Trung ương trong tệp: {f}</translation>
    </message>
    <message>
        <source>Call the centre and type the fingerprint they read to you: </source>
        <translation>Gọi Trung ương và gõ mã nhận dạng họ đọc cho bạn: </translation>
    </message>
    <message>
        <source>Centre: not connected (province connect-central --setup FILE connects it).</source>
        <translation>Trung ương: chưa kết nối (kết nối bằng lệnh province connect-central --setup TỆP).</translation>
    </message>
    <message>
        <source>Centre: connected to {central}, waiting: the centre has not yet taken this province&apos;s figures (it confirms this province&apos;s fingerprint first).</source>
        <translation>Trung ương: đã kết nối với {central}, đang chờ: Trung ương chưa nhận số liệu của tỉnh (Trung ương cần xác nhận mã nhận dạng của tỉnh trước).</translation>
    </message>
    <message>
        <source>Centre: connected to {central}, confirmed: the centre takes this province&apos;s figures.</source>
        <translation>Trung ương: đã kết nối với {central}, đã xác nhận: Trung ương nhận số liệu của tỉnh.</translation>
    </message>
    <message>
        <source>  Last figures bundle for the centre: {when}</source>
        <translation>  Gói số liệu gần nhất gửi Trung ương: {when}</translation>
    </message>
    <message>
        <source>  Catalogue versions received from the centre: {versions}</source>
        <translation>  Phiên bản danh mục nhận từ Trung ương: {versions}</translation>
    </message>
    <message>
        <source>trust a new commune computer once its fingerprint was read out by phone (until then it is sent no personal data)</source>
        <translation>tin cậy một máy mới của xã sau khi đã đọc đối chiếu mã nhận dạng qua điện thoại (trước đó máy không được gửi dữ liệu cá nhân nào)</translation>
    </message>
    <message>
        <source>the fingerprint the commune officer reads out, as their computer shows it (spaces allowed)</source>
        <translation>mã nhận dạng do cán bộ xã đọc, đúng như máy của họ hiển thị (có thể có dấu cách)</translation>
    </message>
    <message>
        <source>refuse from now on the bundles of a lost or stolen commune computer</source>
        <translation>từ chối từ nay các gói của một máy xã bị mất hoặc bị lấy cắp</translation>
    </message>
    <message>
        <source>which computer, when the commune has several (its first 5-digit group is enough)</source>
        <translation>máy nào, khi xã có nhiều máy (nhóm 5 chữ số đầu của mã nhận dạng là đủ)</translation>
    </message>
    <message>
        <source>every commune: enrolled, last bundle, missing bundles</source>
        <translation>từng xã: đã đăng ký chưa, gói gần nhất, gói còn thiếu</translation>
    </message>
    <message>
        <source>set up this commune computer from the province&apos;s setup file</source>
        <translation>thiết lập máy tính của xã từ tệp thiết lập của tỉnh</translation>
    </message>
    <message>
        <source>set up a new data file from a setup file (prints the fingerprint)</source>
        <translation>thiết lập tệp dữ liệu mới từ tệp thiết lập (in ra mã nhận dạng)</translation>
    </message>
    <message>
        <source>the province&apos;s fingerprint as the province reads it out by phone (spaces allowed); without it you are asked to type it</source>
        <translation>mã nhận dạng của tỉnh do tỉnh đọc qua điện thoại (có thể có dấu cách); nếu không ghi, chương trình sẽ hỏi để bạn gõ vào</translation>
    </message>
    <message>
        <source>exchange bundles on a USB stick</source>
        <translation>trao đổi gói dữ liệu qua USB</translation>
    </message>
    <message>
        <source>write the bundles to send (prints the path of each file)</source>
        <translation>ghi các gói cần gửi (in đường dẫn từng tệp)</translation>
    </message>
    <message>
        <source>send everything again, not only what the other side has not confirmed</source>
        <translation>gửi lại toàn bộ, không chỉ phần bên kia chưa xác nhận</translation>
    </message>
    <message>
        <source>at the province: only for this commune (may be repeated)</source>
        <translation>ở tỉnh: chỉ cho xã này (có thể lặp lại)</translation>
    </message>
    <message>
        <source>import bundles: files or folders (prints the import summary)</source>
        <translation>nhập gói: tệp hoặc thư mục (in bản tóm tắt nhập)</translation>
    </message>
    <message>
        <source>only show what would change; write nothing</source>
        <translation>chỉ xem trước những gì sẽ thay đổi; không ghi gì</translation>
    </message>
    <message>
        <source>list every changed record with its fields before -&gt; after</source>
        <translation>liệt kê từng bản ghi thay đổi với các trường trước -&gt; sau</translation>
    </message>
    <message>
        <source>import the file only if it is exactly the one previewed (the SHA-256 that --dry-run printed); one file only</source>
        <translation>chỉ nhập tệp nếu đúng là tệp đã xem trước (mã SHA-256 mà --dry-run đã in ra); chỉ một tệp</translation>
    </message>
    <message>
        <source>what the other side has confirmed and what is missing</source>
        <translation>bên kia đã xác nhận những gì và còn thiếu gì</translation>
    </message>
    <message>
        <source>list the conflicts waiting for review</source>
        <translation>liệt kê các xung đột chờ xem xét</translation>
    </message>
    <message>
        <source>keep the winning value, or restore the losing one (sent as a new change)</source>
        <translation>giữ giá trị đang dùng, hoặc khôi phục giá trị bị thay (gửi đi như một thay đổi mới)</translation>
    </message>
    <message>
        <source>Passphrase for the sync keys: </source>
        <translation>Mật khẩu của khóa đồng bộ: </translation>
    </message>
    <message>
        <source>Again: </source>
        <translation>Nhập lại: </translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>Hai lần nhập mật khẩu không giống nhau.</translation>
    </message>
    <message>
        <source>Province data file set up: {province}.</source>
        <translation>Đã thiết lập tệp dữ liệu của tỉnh: {province}.</translation>
    </message>
    <message>
        <source>Fingerprint of this province: {fingerprint}</source>
        <translation>Mã nhận dạng của tỉnh: {fingerprint}</translation>
    </message>
    <message>
        <source>Setup file for {commune}. Give it to the commune officer; their computer&apos;s first bundle registers it.</source>
        <translation>Tệp thiết lập cho {commune}. Hãy trao cho cán bộ xã; gói đầu tiên từ máy của xã sẽ đăng ký máy đó.</translation>
    </message>
    <message>
        <source>Confirmed: the computer of {commune} with fingerprint {f}. Its next bundle from the province carries the commune&apos;s data.</source>
        <translation>Đã xác nhận máy của {commune} có mã nhận dạng {f}. Gói tiếp theo tỉnh gửi cho máy này sẽ có dữ liệu của xã.</translation>
    </message>
    <message>
        <source>Revoked: the computer of {commune} with fingerprint {f}. Its bundles are refused from now on; set up a new computer from a new setup file.</source>
        <translation>Đã thu hồi máy của {commune} có mã nhận dạng {f}. Từ nay các gói của máy này bị từ chối; hãy thiết lập máy mới từ một tệp thiết lập mới.</translation>
    </message>
    <message>
        <source>{commune} is set up. Read this computer&apos;s fingerprint above to the province: the province confirms it, and only then sends the commune&apos;s data.</source>
        <translation>Đã thiết lập xong {commune}. Hãy đọc cho tỉnh mã nhận dạng của máy này (ở trên): tỉnh xác nhận máy, sau đó mới gửi dữ liệu của xã.</translation>
    </message>
    <message>
        <source>Nothing was set up: the province&apos;s fingerprint must be compared first. Call the province, ask them to read their fingerprint, and give it with --province-fingerprint &quot;DIGITS&quot;.</source>
        <translation>Chưa thiết lập gì: phải đối chiếu mã nhận dạng của tỉnh trước. Hãy gọi điện cho tỉnh, đề nghị tỉnh đọc mã nhận dạng, rồi ghi mã đó sau --province-fingerprint &quot;CÁC CHỮ SỐ&quot;.</translation>
    </message>
    <message>
        <source>Setup file of {province} for {commune}. Fingerprint of the province in this file: {f}</source>
        <translation>Tệp thiết lập của {province} cho {commune}. Mã nhận dạng của tỉnh trong tệp này: {f}</translation>
    </message>
    <message>
        <source>Call the province and type the fingerprint they read to you: </source>
        <translation>Hãy gọi điện cho tỉnh và gõ mã nhận dạng tỉnh đọc cho bạn: </translation>
    </message>
    <message>
        <source>The new computer of {commune} (fingerprint {f}) is waiting for confirmation: its bundle carries no personal data until &apos;province confirm&apos;.</source>
        <translation>Máy mới của {commune} (mã nhận dạng {f}) đang chờ xác nhận: gói gửi cho máy này không có dữ liệu cá nhân nào cho đến khi chạy &apos;province confirm&apos;.</translation>
    </message>
    <message>
        <source>New computer registered; its fingerprint is {f}. It is sent no personal data until you compare the fingerprint with the commune by phone and confirm it: da8desktop province confirm --commune-code CODE --fingerprint &quot;DIGITS&quot;.</source>
        <translation>Đã đăng ký máy mới; mã nhận dạng là {f}. Máy này chưa được gửi dữ liệu cá nhân nào cho đến khi bạn đối chiếu mã nhận dạng với xã qua điện thoại và xác nhận: da8desktop province confirm --commune-code MÃ_XÃ --fingerprint &quot;CÁC CHỮ SỐ&quot;.</translation>
    </message>
    <message>
        <source>waiting for confirmation</source>
        <translation>chờ xác nhận</translation>
    </message>
    <message>
        <source>Records the province refused: {n}. Correct each one (on the Sync page, a double-click opens it) and write a new bundle; it is sent again.</source>
        <translation>Bản ghi tỉnh không nhận: {n}. Hãy sửa từng bản ghi (ở trang Gửi và nhận, bấm đúp để mở) rồi ghi gói mới; bản ghi sẽ được gửi lại.</translation>
    </message>
    <message>
        <source>#{id} {record} / {field}: kept {kept} ({kept_by}, {kept_at}); not kept {lost} ({lost_by}, {lost_at})</source>
        <translation>#{id} {record} / {field}: giữ {kept} ({kept_by}, {kept_at}); không giữ {lost} ({lost_by}, {lost_at})</translation>
    </message>
    <message>
        <source>No conflict to review.</source>
        <translation>Không có xung đột nào cần xem.</translation>
    </message>
    <message>
        <source>The winning value is kept; the conflict is closed.</source>
        <translation>Đã giữ giá trị đang dùng; xung đột đã đóng.</translation>
    </message>
    <message>
        <source>The losing value is restored as a new change; it travels with the next bundle.</source>
        <translation>Đã khôi phục giá trị bị thay như một thay đổi mới; thay đổi sẽ được gửi trong gói tiếp theo.</translation>
    </message>
    <message>
        <source>No bundle written: no computer is enrolled to receive one yet.</source>
        <translation>Chưa ghi gói nào: chưa có máy nào được đăng ký để nhận.</translation>
    </message>
    <message>
        <source>--expect-sha256 checks one file: give exactly one bundle file.</source>
        <translation>--expect-sha256 chỉ kiểm tra một tệp: hãy đưa đúng một tệp gói dữ liệu.</translation>
    </message>
    <message>
        <source>--expect-sha256 takes the 64 hexadecimal digits that --dry-run printed.</source>
        <translation>--expect-sha256 cần đúng 64 chữ số thập lục phân mà --dry-run đã in ra.</translation>
    </message>
    <message>
        <source>No bundle found in {paths}.</source>
        <translation>Không tìm thấy gói nào trong {paths}.</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>đã nhập</translation>
    </message>
    <message>
        <source>preview only, nothing written</source>
        <translation>chỉ xem trước, chưa ghi gì</translation>
    </message>
    <message>
        <source>already imported</source>
        <translation>đã nhập trước đó</translation>
    </message>
    <message>
        <source>REFUSED</source>
        <translation>BỊ TỪ CHỐI</translation>
    </message>
    <message>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>cập nhật</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>không đổi</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>xung đột</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>đã xóa</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>bị từ chối</translation>
    </message>
    <message>
        <source>missing: {missing}; conflicts: {c}; rejected: {r}</source>
        <translation>còn thiếu: {missing}; xung đột: {c}; bị từ chối: {r}</translation>
    </message>
    <message>
        <source>Not set up for sync. Changes not yet sent: {n}</source>
        <translation>Chưa thiết lập đồng bộ. Thay đổi chưa gửi: {n}</translation>
    </message>
    <message>
        <source>The province has received everything up to {when}.</source>
        <translation>Tỉnh đã nhận đủ mọi thay đổi đến {when}.</translation>
    </message>
    <message>
        <source>The province has not confirmed any bundle yet.</source>
        <translation>Tỉnh chưa xác nhận gói nào.</translation>
    </message>
    <message>
        <source>Changes not yet confirmed: {n}</source>
        <translation>Thay đổi chưa được tỉnh xác nhận: {n}</translation>
    </message>
    <message>
        <source>Conflicts to review: {n}</source>
        <translation>Xung đột cần xem xét: {n}</translation>
    </message>
    <message>
        <source>who changed, exported, printed or imported what, and when</source>
        <translation>ai đã sửa, xuất, in hay nhập gì, vào lúc nào</translation>
    </message>
    <message>
        <source>print the audit trail, newest first</source>
        <translation>in nhật ký, mới nhất trước</translation>
    </message>
    <message>
        <source>write the audit trail to .xlsx</source>
        <translation>ghi nhật ký ra tệp .xlsx</translation>
    </message>
    <message>
        <source>--limit must be a number from 1 to {most}.</source>
        <translation>--limit phải là một số từ 1 đến {most}.</translation>
    </message>
    <message>
        <source>{n} entries written to {file}.</source>
        <translation>Đã ghi {n} dòng vào {file}.</translation>
    </message>
    <message>
        <source>progress reports on the programme&apos;s indicators</source>
        <translation>báo cáo tiến độ các chỉ tiêu của chương trình</translation>
    </message>
    <message>
        <source>each indicator&apos;s target and achieved value (at the province: per commune too)</source>
        <translation>chỉ tiêu giao và kết quả thực hiện của từng chỉ tiêu (ở tỉnh: cả từng xã)</translation>
    </message>
    <message>
        <source>print JSON for scripts</source>
        <translation>in JSON cho các tập lệnh</translation>
    </message>
    <message>
        <source>also write the report as an Excel workbook</source>
        <translation>ghi thêm báo cáo ra tệp Excel</translation>
    </message>
    <message>
        <source>also write the printable report (PDF)</source>
        <translation>ghi thêm báo cáo để in (PDF)</translation>
    </message>
    <message>
        <source>at the province: one commune only</source>
        <translation>ở tỉnh: chỉ một xã</translation>
    </message>
    <message>
        <source>sessions and participant-times per content and activity group for a quarter, half-year or year (at the province: in total and per commune)</source>
        <translation>số cuộc/buổi và lượt người theo nội dung và nhóm hoạt động trong một quý, 6 tháng hoặc một năm (ở tỉnh: tổng cộng và theo từng xã)</translation>
    </message>
    <message>
        <source>the year</source>
        <translation>năm</translation>
    </message>
    <message>
        <source>one quarter only</source>
        <translation>chỉ một quý</translation>
    </message>
    <message>
        <source>one half-year only (1: January-June, 2: July-December)</source>
        <translation>chỉ 6 tháng (1: tháng 1–6, 2: tháng 7–12)</translation>
    </message>
    <message>
        <source>also split the report by the former (pre-2025) commune of each record</source>
        <translation>chia thêm báo cáo theo xã cũ (trước năm 2025) của từng số liệu</translation>
    </message>
    <message>
        <source>targets per indicator, commune and year or phase</source>
        <translation>chỉ tiêu theo từng chỉ số, xã và năm hoặc giai đoạn</translation>
    </message>
    <message>
        <source>set one target (the province allocates; a commune plans its own)</source>
        <translation>đặt một chỉ tiêu (tỉnh giao; xã tự lập kế hoạch)</translation>
    </message>
    <message>
        <source>the indicator&apos;s code, e.g. II.TTCD</source>
        <translation>mã chỉ tiêu, ví dụ II.TTCD</translation>
    </message>
    <message>
        <source>a year (2026) or a phase (2026-2030)</source>
        <translation>một năm (2026) hoặc một giai đoạn (2026-2030)</translation>
    </message>
    <message>
        <source>the commune&apos;s code (required at the province)</source>
        <translation>mã xã (bắt buộc ở tỉnh)</translation>
    </message>
    <message>
        <source>at the province: the target for the whole province (such as 540 teams)</source>
        <translation>ở tỉnh: chỉ tiêu cho toàn tỉnh (ví dụ 540 tổ)</translation>
    </message>
    <message>
        <source>the targets of a year or phase</source>
        <translation>các chỉ tiêu của một năm hoặc giai đoạn</translation>
    </message>
    <message>
        <source>the year (default: this year)</source>
        <translation>năm (mặc định: năm nay)</translation>
    </message>
    <message>
        <source>a quarter of the year: measured from 1 January to the quarter&apos;s end</source>
        <translation>một quý trong năm: tính từ ngày 1 tháng 1 đến hết quý</translation>
    </message>
    <message>
        <source>the whole phase instead of a year</source>
        <translation>cả giai đoạn thay cho một năm</translation>
    </message>
    <message>
        <source>Only the province sets a target for the whole province.</source>
        <translation>Chỉ cấp tỉnh mới giao được chỉ tiêu cho toàn tỉnh.</translation>
    </message>
    <message>
        <source>No commune with code {code} here. See the codes with: sync status</source>
        <translation>Không có xã nào mã {code} ở đây. Xem các mã bằng lệnh: sync status</translation>
    </message>
    <message>
        <source>figures up to {date}</source>
        <translation>số liệu đến ngày {date}</translation>
    </message>
    <message>
        <source>Report written to {file}</source>
        <translation>Đã ghi báo cáo vào {file}</translation>
    </message>
    <message>
        <source>{sessions} sessions, {times} participant-times</source>
        <translation>{sessions} cuộc/buổi, {times} lượt người</translation>
    </message>
    <message>
        <source>No indicator has the code {code}. The codes are listed by: report indicators</source>
        <translation>Không có chỉ tiêu nào mã {code}. Xem danh sách mã bằng lệnh: report indicators</translation>
    </message>
    <message>
        <source>Target saved.</source>
        <translation>Đã lưu chỉ tiêu.</translation>
    </message>
    <message>
        <source>copy everything in this data file to an empty server database</source>
        <translation>sao chép toàn bộ tệp dữ liệu này sang một cơ sở dữ liệu máy chủ còn trống</translation>
    </message>
    <message>
        <source>Copies identity, sync keys, the registry, every commune&apos;s data, sync state and the audit trail into an empty database (e.g. PostgreSQL on the province server), in one transaction, and compares the number of rows of every table before it commits. Afterwards use the server database only.</source>
        <translation>Sao chép thông tin máy, khóa đồng bộ, danh mục, dữ liệu của mọi xã, trạng thái đồng bộ và nhật ký sang một cơ sở dữ liệu còn trống (ví dụ PostgreSQL trên máy chủ của tỉnh) trong một giao dịch, và so số dòng của từng bảng trước khi ghi hẳn. Sau đó chỉ dùng cơ sở dữ liệu máy chủ.</translation>
    </message>
    <message>
        <source>the server database, e.g. postgresql+psycopg://user:password@host/da8</source>
        <translation>cơ sở dữ liệu máy chủ, ví dụ postgresql+psycopg://người_dùng:mật_khẩu@máy_chủ/da8</translation>
    </message>
    <message>
        <source>Copied {rows} rows of {tables} tables to {target}; every count matches. {files} attached files copied. From now on open the server database (--database-url, or Settings › Server database) and keep the old file only as an archive.</source>
        <translation>Đã sao chép {rows} dòng của {tables} bảng sang {target}; số dòng của mọi bảng đều khớp. Đã sao chép {files} tệp đính kèm. Từ nay hãy mở cơ sở dữ liệu máy chủ (--database-url, hoặc Cài đặt › Cơ sở dữ liệu máy chủ) và chỉ giữ tệp cũ để lưu trữ.</translation>
    </message>
    <message>
        <source>the indicators and activity groups (the province edits them)</source>
        <translation>các chỉ tiêu và nhóm hoạt động (do tỉnh sửa)</translation>
    </message>
    <message>
        <source>write the catalogue as an Excel workbook to edit</source>
        <translation>ghi danh mục ra tệp Excel để sửa</translation>
    </message>
    <message>
        <source>save an edited workbook as the new catalogue version (province)</source>
        <translation>lưu tệp đã sửa thành phiên bản danh mục mới (tỉnh)</translation>
    </message>
    <message>
        <source>show what would change and save nothing</source>
        <translation>cho xem những gì sẽ thay đổi, không lưu gì</translation>
    </message>
    <message>
        <source>which version of each catalogue this data file holds</source>
        <translation>tệp dữ liệu này đang giữ phiên bản nào của từng danh mục</translation>
    </message>
    <message>
        <source>Catalogue written to {file} (indicators {ind}, activity groups {groups}).</source>
        <translation>Đã ghi danh mục vào {file} (chỉ tiêu {ind}, nhóm hoạt động {groups}).</translation>
    </message>
    <message>
        <source>There is no file {file}. Check the name and the folder.</source>
        <translation>Không có tệp {file}. Hãy kiểm tra tên tệp và thư mục.</translation>
    </message>
    <message>
        <source>Catalogue: {added} added, {changed} changed, {retired} retired, {same} unchanged, {refused} refused.</source>
        <translation>Danh mục: {added} thêm, {changed} sửa, {retired} ngừng dùng, {same} giữ nguyên, {refused} bị từ chối.</translation>
    </message>
    <message>
        <source>Dry run: nothing was saved.</source>
        <translation>Chạy thử: chưa lưu gì.</translation>
    </message>
    <message>
        <source>Saved as version {versions}; the communes receive it with the next bundles.</source>
        <translation>Đã lưu thành phiên bản {versions}; các xã nhận được qua các gói tiếp theo.</translation>
    </message>
    <message>
        <source>allocate targets from an Excel sheet of indicators x communes</source>
        <translation>giao chỉ tiêu từ một bảng Excel chỉ tiêu × xã</translation>
    </message>
    <message>
        <source>a year (2026) or a phase (2026-2030); default: the one written in the sheet</source>
        <translation>một năm (2026) hoặc một giai đoạn (2026-2030); mặc định: kỳ ghi trong bảng</translation>
    </message>
    <message>
        <source>write the targets as an Excel sheet that targets import reads back</source>
        <translation>ghi chỉ tiêu ra bảng Excel mà lệnh targets import đọc lại được</translation>
    </message>
    <message>
        <source>a year (2026) or a phase (2026-2030); default: this year</source>
        <translation>một năm (2026) hoặc một giai đoạn (2026-2030); mặc định: năm nay</translation>
    </message>
    <message>
        <source>&quot;{period}&quot; is not a year (2026) or a phase (2026-2030).</source>
        <translation>&quot;{period}&quot; không phải là một năm (2026) hay một giai đoạn (2026-2030).</translation>
    </message>
    <message>
        <source>Targets for {period}: {new} new, {changed} changed, {same} unchanged, {refused} refused.</source>
        <translation>Chỉ tiêu {period}: {new} mới, {changed} thay đổi, {same} giữ nguyên, {refused} bị từ chối.</translation>
    </message>
    <message>
        <source>{count} targets saved.</source>
        <translation>Đã lưu {count} chỉ tiêu.</translation>
    </message>
    <message>
        <source>{count} targets for {period} written to {file}</source>
        <translation>Đã ghi {count} chỉ tiêu kỳ {period} vào {file}</translation>
    </message>
    <message>
        <source>split the province&apos;s total over its communes: evenly, by villages or typed</source>
        <translation>chia tổng chỉ tiêu của tỉnh cho các xã: chia đều, theo số thôn, bản hoặc tự nhập</translation>
    </message>
    <message>
        <source>evenly (whole numbers; the remainder to the first communes in order), by number of villages, or the values given with --value</source>
        <translation>chia đều (số nguyên; phần dư cho các xã đầu danh sách), theo số thôn, bản, hoặc theo các giá trị ghi ở --value</translation>
    </message>
    <message>
        <source>the province&apos;s total, saved too (default: the total already set)</source>
        <translation>tổng chỉ tiêu của tỉnh, cũng được lưu (mặc định: tổng đã giao)</translation>
    </message>
    <message>
        <source>with --by typed: one commune&apos;s share (repeat it)</source>
        <translation>dùng với --by typed: phần của một xã (ghi lại nhiều lần)</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a commune code and a number, such as 03325=12.</source>
        <translation>&quot;{value}&quot; không phải mã xã kèm một số, ví dụ 03325=12.</translation>
    </message>
    <message>
        <source>--value gives a commune&apos;s share typed by hand: use it with --by typed.</source>
        <translation>--value là phần của một xã do bạn tự nhập: hãy dùng kèm --by typed.</translation>
    </message>
    <message>
        <source>{code} {period}: province total {total}, allocated {allocated}, remainder {remainder}.</source>
        <translation>{code} {period}: tổng toàn tỉnh {total}, đã giao {allocated}, còn lại {remainder}.</translation>
    </message>
    <message>
        <source>records kept before the 2025 merger: which former commune they belong to</source>
        <translation>số liệu ghi trước khi sáp nhập năm 2025: thuộc xã cũ nào</translation>
    </message>
    <message>
        <source>the former communes merged into this commune, and records without one</source>
        <translation>các xã cũ đã sáp nhập vào xã này, và số liệu chưa ghi xã cũ</translation>
    </message>
    <message>
        <source>give records with no former commune the one they happened in</source>
        <translation>ghi xã cũ cho các số liệu chưa có xã cũ</translation>
    </message>
    <message>
        <source>the former commune&apos;s code (see: records legacy-units)</source>
        <translation>mã của xã cũ (xem: records legacy-units)</translation>
    </message>
    <message>
        <source>records dated before this day (dd/mm/yyyy or yyyy-mm-dd); default 01/07/2025</source>
        <translation>các số liệu có ngày trước ngày này (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định 01/07/2025</translation>
    </message>
    <message>
        <source>Write the date as dd/mm/yyyy, for example 01/07/2025.</source>
        <translation>Hãy ghi ngày theo dạng dd/mm/yyyy, ví dụ 01/07/2025.</translation>
    </message>
    <message>
        <source>Records before 01/07/2025 with no former commune: {n}</source>
        <translation>Số liệu trước ngày 01/07/2025 chưa ghi xã cũ: {n}</translation>
    </message>
    <message>
        <source>{n} records now carry former commune {code}.</source>
        <translation>Đã ghi xã cũ {code} cho {n} số liệu.</translation>
    </message>
</context>
<context>
    <name>Clock</name>
    <message>
        <source>The computer&apos;s date and time look wrong ({detail}): set them, then continue.</source>
        <translation>Ngày giờ của máy tính có vẻ bị sai ({detail}): hãy chỉnh lại ngày giờ, rồi tiếp tục.</translation>
    </message>
    <message>
        <source>it says {now}, before this application&apos;s data could exist</source>
        <translation>máy đang để ngày {now}, trước cả thời điểm dữ liệu của chương trình này có thể có</translation>
    </message>
    <message>
        <source>it says {now}, but a file made on {reference} has already been received</source>
        <translation>máy đang để ngày {now}, nhưng đã nhận một tệp được tạo ngày {reference}</translation>
    </message>
    <message>
        <source>it says {now}, more than a year after the last file received ({reference})</source>
        <translation>máy đang để ngày {now}, muộn hơn một năm so với tệp nhận gần nhất ({reference})</translation>
    </message>
    <message>
        <source>{count} changes saved while the computer&apos;s date was wrong were given today&apos;s date; they go to the province with the next export.</source>
        <translation>{count} thay đổi được lưu khi ngày của máy bị sai đã được ghi lại theo ngày hôm nay; chúng sẽ được gửi lên tỉnh trong lần xuất gói tới.</translation>
    </message>
</context>
<context>
    <name>ColumnMappingDialog</name>
    <message>
        <source>Choose the columns</source>
        <translation>Chọn cột</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Cột</translation>
    </message>
    <message>
        <source>Title in the sheet</source>
        <translation>Tiêu đề trong bảng</translation>
    </message>
    <message>
        <source>Values under it</source>
        <translation>Giá trị bên dưới</translation>
    </message>
    <message>
        <source>Holds</source>
        <translation>Là</translation>
    </message>
    <message>
        <source>Row with the column titles</source>
        <translation>Dòng tiêu đề cột</translation>
    </message>
    <message>
        <source>Say what each column holds; leave the others on «(not imported)». The full name is needed.</source>
        <translation>Cho biết mỗi cột chứa gì; để các cột khác ở «(không nhập)». Bắt buộc có cột họ và tên.</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>(không nhập)</translation>
    </message>
</context>
<context>
    <name>ConfirmComputerDialog</name>
    <message>
        <source>Confirm a commune computer</source>
        <translation>Xác nhận máy của xã</translation>
    </message>
    <message>
        <source>A new computer of {commune} sent its first bundle and is waiting for confirmation. Until you confirm it, the province sends it no personal data.

Call the commune officer and ask them to read the fingerprint their computer shows (on its Send and receive page). Type the digits they read; spaces do not matter.</source>
        <translation>Một máy mới của {commune} đã gửi gói đầu tiên và đang chờ xác nhận. Cho đến khi bạn xác nhận, tỉnh không gửi dữ liệu cá nhân nào cho máy này.

Hãy gọi điện cho cán bộ xã và đề nghị họ đọc mã nhận dạng máy của họ hiển thị (ở trang Gửi và nhận). Gõ các chữ số họ đọc; dấu cách không quan trọng.</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>ConnectProvince</name>
    <message>
        <source>Setup file from the province</source>
        <translation>Tệp thiết lập của tỉnh</translation>
    </message>
    <message>
        <source>Setup files (*.da8setup);;All files (*)</source>
        <translation>Tệp thiết lập (*.da8setup);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Connect to the province</source>
        <translation>Kết nối với tỉnh</translation>
    </message>
    <message>
        <source>Setup file of {province} for {commune}. The records already in this data file are kept and sent to the province with the first bundle.

Fingerprint of the province in this file:
{f}

Call the province and ask them to read their fingerprint. Type the digits they read (spaces do not matter). If they differ, do not use this file.</source>
        <translation>Tệp thiết lập của {province} cho {commune}. Các hồ sơ đã có trong tệp dữ liệu này được giữ nguyên và gửi lên tỉnh trong gói đầu tiên.

Mã nhận dạng của tỉnh trong tệp:
{f}

Hãy gọi điện cho tỉnh và đề nghị tỉnh đọc mã nhận dạng. Gõ các chữ số tỉnh đọc (dấu cách không quan trọng). Nếu khác nhau, đừng dùng tệp này.</translation>
    </message>
    <message>
        <source>{commune} is connected to the province.

Fingerprint of this computer: {mine}

Call the province and read them this number. Then write the bundle for the province: it carries every record of this file.</source>
        <translation>{commune} đã được kết nối với tỉnh.

Mã nhận dạng của máy này: {mine}

Hãy gọi điện và đọc số này cho tỉnh. Sau đó ghi gói gửi tỉnh: gói mang theo mọi hồ sơ của tệp này.</translation>
    </message>
    <message>
        <source>Connect to the centre</source>
        <translation>Kết nối với Trung ương</translation>
    </message>
    <message>
        <source>Setup file from the centre</source>
        <translation>Tệp thiết lập của Trung ương</translation>
    </message>
    <message>
        <source>Setup file of the centre for {province}.

Fingerprint of the centre in this file:
{f}

Call the centre and ask them to read their fingerprint. Type the digits they read (spaces do not matter). If they differ, do not use this file.</source>
        <translation>Tệp thiết lập của Trung ương cho {province}.

Mã nhận dạng của Trung ương trong tệp này:
{f}

Hãy gọi điện cho Trung ương và đề nghị đọc mã nhận dạng của Trung ương. Gõ các chữ số được đọc (dấu cách không quan trọng). Nếu các số khác nhau, đừng dùng tệp này.</translation>
    </message>
    <message>
        <source>Connected to {central}.

Fingerprint of this province: {mine}

Call the centre and read them this number: they confirm this province, and only then take its figures. From now on, exporting bundles also writes the bundle for the centre (figures only, no personal data).</source>
        <translation>Đã kết nối với {central}.

Mã nhận dạng của tỉnh: {mine}

Hãy gọi điện cho Trung ương và đọc số này: Trung ương xác nhận tỉnh rồi mới nhận số liệu của tỉnh. Từ nay, khi xuất gói, chương trình viết thêm gói cho Trung ương (chỉ số liệu, không có dữ liệu cá nhân).</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Not saved</source>
        <translation>Chưa lưu được</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Lỗi ngoài dự kiến</translation>
    </message>
    <message>
        <source>Something went wrong. What you saved before is safe. The details were written to {log}; please send that file to the support team.</source>
        <translation>Đã có lỗi xảy ra. Những gì đã lưu trước đó vẫn an toàn. Chi tiết được ghi vào {log}; vui lòng gửi tệp đó cho bộ phận hỗ trợ.</translation>
    </message>
    <message>
        <source>The data file is damaged</source>
        <translation>Tệp dữ liệu bị hỏng</translation>
    </message>
    <message>
        <source>The data file is damaged and cannot be used. Restore the newest backup, made on {date}? The damaged file is kept in the backups folder.</source>
        <translation>Tệp dữ liệu bị hỏng, không dùng được. Khôi phục bản sao lưu mới nhất (lập lúc {date})? Tệp bị hỏng được giữ lại trong thư mục sao lưu.</translation>
    </message>
    <message>
        <source>Cannot open the data file</source>
        <translation>Không mở được tệp dữ liệu</translation>
    </message>
    <message>
        <source>The data file is already open</source>
        <translation>Tệp dữ liệu đang được mở</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Whole year</source>
        <translation>Cả năm</translation>
    </message>
    <message>
        <source>Quarter {q} (from 1 January)</source>
        <translation>Quý {q} (lũy kế từ 1 tháng 1)</translation>
    </message>
    <message>
        <source>Whole phase</source>
        <translation>Cả giai đoạn</translation>
    </message>
    <message>
        <source>Targets…</source>
        <translation>Chỉ tiêu…</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>Xuất ra Excel…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Lưu thành PDF…</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Số liệu</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Cần chú ý</translation>
    </message>
    <message>
        <source>Needs attention ({count})</source>
        <translation>Cần chú ý ({count})</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Tiến độ</translation>
    </message>
    <message>
        <source>Computing the indicators…</source>
        <translation>Đang tính các chỉ tiêu…</translation>
    </message>
    <message>
        <source>Progress — {unit}</source>
        <translation>Tiến độ thực hiện chỉ tiêu — {unit}</translation>
    </message>
    <message>
        <source>{period}: figures up to {date}. {done} of {targets} targets reached, {behind} behind schedule ({expected}% of the period has passed).</source>
        <translation>{period}: số liệu đến ngày {date}. Đạt {done}/{targets} chỉ tiêu, {behind} chỉ tiêu chậm tiến độ (đã qua {expected}% thời gian của kỳ).</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Chỉ tiêu giao</translation>
    </message>
    <message>
        <source>Achieved</source>
        <translation>Thực hiện</translation>
    </message>
    <message>
        <source>In the quarter</source>
        <translation>Trong quý</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Đánh giá</translation>
    </message>
    <message>
        <source>{code}. Double-click for the records behind the figure.</source>
        <translation>{code}. Nhấp đúp để xem các bản ghi tạo nên con số này.</translation>
    </message>
    <message>
        <source>Target for the whole province: {total}; given to the communes: {given}.</source>
        <translation>Chỉ tiêu toàn tỉnh: {total}; đã giao cho các xã: {given}.</translation>
    </message>
    <message>
        <source>By commune</source>
        <translation>Theo xã</translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation>Không có việc gì cần chú ý.</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>Hoàn thành</translation>
    </message>
    <message>
        <source>On track</source>
        <translation>Đúng tiến độ</translation>
    </message>
    <message>
        <source>Behind schedule</source>
        <translation>Chậm tiến độ</translation>
    </message>
    <message>
        <source>No target</source>
        <translation>Chưa giao chỉ tiêu</translation>
    </message>
    <message>
        <source>Province total</source>
        <translation>Tổng toàn tỉnh</translation>
    </message>
    <message>
        <source>No data received this quarter</source>
        <translation>Chưa nhận được số liệu trong quý này</translation>
    </message>
    <message>
        <source>The report could not be written to {file}. Choose another folder, or close the file if it is open in Excel.</source>
        <translation>Không ghi được báo cáo vào {file}. Hãy chọn thư mục khác, hoặc đóng tệp nếu đang mở trong Excel.</translation>
    </message>
    <message>
        <source>Women {women} · men {men} · ethnic minority {minority} · children (under 16) {children}</source>
        <translation>Nữ {women} · nam {men} · dân tộc thiểu số {minority} · trẻ em (dưới 16 tuổi) {children}</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Not counted by sex or ethnicity (a count of groups or activities).</source>
        <translation>Không tách theo giới hay dân tộc (đếm số tổ nhóm hoặc hoạt động).</translation>
    </message>
    <message>
        <source>{name}, by quarter</source>
        <translation>{name} theo quý</translation>
    </message>
    <message>
        <source>{name}, by year</source>
        <translation>{name} theo năm</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>Xuất ra Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Lưu thành PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Đang ghi báo cáo…</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <source>The report was saved to {file}</source>
        <translation>Đã lưu báo cáo vào {file}</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>Cannot create the folder {folder}: {reason}</source>
        <translation>Không tạo được thư mục {folder}: {reason}</translation>
    </message>
    <message>
        <source>The data file {file} is damaged ({detail}). Nothing was changed. Restore the newest backup: the application offers it at start, or run: da8desktop --db &quot;{file}&quot; backup restore --latest</source>
        <translation>Tệp dữ liệu {file} bị hỏng ({detail}). Không có gì bị thay đổi. Hãy khôi phục bản sao lưu mới nhất: chương trình sẽ đề nghị khi khởi động, hoặc chạy lệnh: da8desktop --db &quot;{file}&quot; backup restore --latest</translation>
    </message>
    <message>
        <source>Cannot open {location}: it is not a da8desktop data file, or it is damaged. Nothing was changed. Details: {reason}</source>
        <translation>Không mở được {location}: đây không phải tệp dữ liệu da8desktop hoặc tệp đã bị hỏng. Không có gì bị thay đổi. Chi tiết: {reason}</translation>
    </message>
    <message>
        <source>Not saved: the disk holding {folder} is full. What was saved before is safe. Free some space (delete or move files you do not need), then try again.</source>
        <translation>Chưa lưu được: ổ đĩa chứa {folder} đã đầy. Những gì đã lưu trước đó vẫn an toàn. Hãy giải phóng chỗ trống (xóa hoặc chuyển bớt các tệp không cần) rồi thử lại.</translation>
    </message>
    <message>
        <source>Not saved: the data file in {folder} cannot be written to (a read-only folder, a locked USB stick or a file without write permission). What was saved before is safe. Copy the data folder to the computer&apos;s disk, or ask for write permission, then try again.</source>
        <translation>Chưa lưu được: không ghi được vào tệp dữ liệu trong {folder} (thư mục chỉ đọc, USB bị khóa ghi hoặc tệp không có quyền ghi). Những gì đã lưu trước đó vẫn an toàn. Hãy chép thư mục dữ liệu vào ổ đĩa của máy, hoặc xin quyền ghi, rồi thử lại.</translation>
    </message>
    <message>
        <source>This data file is on read-only media ({folder}): it can be read but not changed. Copy it to the computer&apos;s disk to edit it, then open the copy.</source>
        <translation>Tệp dữ liệu này nằm trên thiết bị chỉ cho đọc ({folder}): có thể xem nhưng không thể thay đổi. Hãy chép tệp vào ổ đĩa của máy tính rồi mở bản chép đó để sửa.</translation>
    </message>
    <message>
        <source>This data file is on read-only media ({folder}) and was made by an older version of da8desktop: it must be upgraded, which needs writing. Copy it to the computer&apos;s disk, then open the copy.</source>
        <translation>Tệp dữ liệu này nằm trên thiết bị chỉ cho đọc ({folder}) và được tạo bởi phiên bản da8desktop cũ hơn: cần nâng cấp tệp, mà việc này phải ghi vào tệp. Hãy chép tệp vào ổ đĩa của máy tính rồi mở bản chép đó.</translation>
    </message>
    <message>
        <source>This data file is not set up yet. Load the demo commune or set up this computer first.</source>
        <translation>Tệp dữ liệu này chưa được thiết lập. Hãy tải xã mẫu hoặc thiết lập máy tính này trước.</translation>
    </message>
    <message>
        <source>The database {location} sorts text by the rules of {collation}, which would put Vietnamese names in the wrong order. Ask the server administrator to create it with: CREATE DATABASE … TEMPLATE template0 ENCODING &apos;UTF8&apos; LC_COLLATE &apos;C&apos; LC_CTYPE &apos;C&apos; LOCALE_PROVIDER libc (see the README, “A province server”).</source>
        <translation>Cơ sở dữ liệu {location} sắp xếp chữ theo quy tắc {collation}, sẽ xếp sai thứ tự tên tiếng Việt. Hãy đề nghị quản trị máy chủ tạo cơ sở dữ liệu bằng lệnh: CREATE DATABASE … TEMPLATE template0 ENCODING &apos;UTF8&apos; LC_COLLATE &apos;C&apos; LC_CTYPE &apos;C&apos; LOCALE_PROVIDER libc (xem README, mục “Máy chủ của tỉnh”).</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>The number of demo people must be between 50 and 200000.</source>
        <translation>Số người mẫu phải từ 50 đến 200000.</translation>
    </message>
    <message>
        <source>Demo data can only be added to a commune data file.</source>
        <translation>Chỉ thêm được dữ liệu mẫu vào tệp dữ liệu của xã.</translation>
    </message>
    <message>
        <source>A demo province is made on a new data file (or on the data file of Tỉnh Điện Biên). Make a new data file for it.</source>
        <translation>Tỉnh mẫu được tạo trên một tệp dữ liệu mới (hoặc trên tệp dữ liệu của Tỉnh Điện Biên). Hãy tạo một tệp dữ liệu mới cho tỉnh mẫu.</translation>
    </message>
</context>
<context>
    <name>Disk</name>
    <message>
        <source>Not written: the disk or USB stick holding {folder} is full. Nothing half-written was left behind. Free some space (delete or move files you do not need) or use another stick, then try again.</source>
        <translation>Chưa ghi được: ổ đĩa hoặc USB chứa {folder} đã đầy. Không để lại tệp ghi dở nào. Hãy giải phóng bớt chỗ (xóa hoặc chuyển các tệp không cần) hoặc dùng USB khác, rồi thử lại.</translation>
    </message>
    <message>
        <source>{path} is a folder. Give a file name inside it, for example {example}.</source>
        <translation>{path} là một thư mục. Hãy ghi tên một tệp bên trong thư mục đó, ví dụ {example}.</translation>
    </message>
    <message>
        <source>Cannot write to {folder}: it is read-only (a locked USB stick, a CD, or a folder you have no permission for). Choose another place, or copy the file to the computer&apos;s disk, then try again.</source>
        <translation>Không ghi được vào {folder}: nơi này chỉ cho đọc (USB đã khóa, đĩa CD, hoặc thư mục bạn không có quyền ghi). Hãy chọn nơi khác, hoặc chép tệp vào ổ đĩa của máy tính, rồi thử lại.</translation>
    </message>
    <message>
        <source>The folder for {path} does not exist (or the USB stick was removed). Choose an existing folder, or put the stick back, then try again.</source>
        <translation>Thư mục chứa {path} không tồn tại (hoặc USB đã bị rút ra). Hãy chọn một thư mục có sẵn, hoặc cắm lại USB, rồi thử lại.</translation>
    </message>
    <message>
        <source>{path} cannot be reached: the USB stick may have been removed or the disk has a fault. Put the stick back (or use another one) and try again.</source>
        <translation>Không truy cập được {path}: có thể USB đã bị rút ra hoặc ổ đĩa bị lỗi. Hãy cắm lại USB (hoặc dùng USB khác) rồi thử lại.</translation>
    </message>
    <message>
        <source>The name {path} is too long. Choose a shorter file name or folder.</source>
        <translation>Tên {path} quá dài. Hãy chọn tên tệp hoặc thư mục ngắn hơn.</translation>
    </message>
    <message>
        <source>Cannot use {path}: {reason}. Check the disk or USB stick and try again.</source>
        <translation>Không dùng được {path}: {reason}. Hãy kiểm tra ổ đĩa hoặc USB rồi thử lại.</translation>
    </message>
    <message>
        <source>{path} is not an ordinary file. Give the name of a new file in a folder, for example {example}.</source>
        <translation>{path} không phải là một tệp thông thường. Hãy ghi tên một tệp mới trong một thư mục, ví dụ {example}.</translation>
    </message>
</context>
<context>
    <name>EmptyHint</name>
    <message>
        <source>Start here: add the villages (thôn/bản) of the commune. Then create the groups and enter their members.</source>
        <translation>Bắt đầu từ đây: thêm các thôn/bản của xã. Sau đó lập các tổ/nhóm và nhập thành viên.</translation>
    </message>
    <message>
        <source>Next, create the groups (teams, clubs, savings groups…) and enter their members.</source>
        <translation>Bước tiếp theo: lập các tổ/nhóm (tổ truyền thông, câu lạc bộ, tổ tiết kiệm…) và nhập thành viên.</translation>
    </message>
    <message>
        <source>Next, enter the members of each group on the Groups page, or import a list from Excel.</source>
        <translation>Bước tiếp theo: nhập thành viên của từng tổ/nhóm ở trang Tổ/nhóm, hoặc nhập danh sách từ Excel.</translation>
    </message>
    <message>
        <source>Then record the groups&apos; meetings, with who attended.</source>
        <translation>Sau đó ghi các buổi sinh hoạt của tổ/nhóm, kèm danh sách người tham dự.</translation>
    </message>
    <message>
        <source>Add a village</source>
        <translation>Thêm thôn/bản</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>Tổ/nhóm mới</translation>
    </message>
    <message>
        <source>Go to Groups</source>
        <translation>Đến trang Tổ/nhóm</translation>
    </message>
    <message>
        <source>Record a group meeting</source>
        <translation>Ghi buổi sinh hoạt</translation>
    </message>
    <message>
        <source>Go to Villages</source>
        <translation>Đến trang Thôn/bản</translation>
    </message>
    <message>
        <source>Go to Meetings and activities</source>
        <translation>Đến trang Sinh hoạt và hoạt động</translation>
    </message>
</context>
<context>
    <name>Enrol</name>
    <message>
        <source>Only a province data file set up with &apos;province init&apos; can enrol communes.</source>
        <translation>Chỉ tệp dữ liệu của tỉnh (thiết lập bằng &apos;province init&apos;) mới đăng ký được xã.</translation>
    </message>
    <message>
        <source>Commune {code} is not a commune of this province.</source>
        <translation>Xã mã {code} không thuộc tỉnh này.</translation>
    </message>
    <message>
        <source>The digits typed ({typed}) are not the fingerprint of the province in {file}. Nothing was set up. Read the digits again with the province by phone; if they really differ, this file was not made by your province: do not use it.</source>
        <translation>Các chữ số đã gõ ({typed}) không phải mã nhận dạng của tỉnh trong tệp {file}. Chưa thiết lập gì. Hãy đọc lại các chữ số với tỉnh qua điện thoại; nếu đúng là khác nhau thì tệp này không do tỉnh của bạn tạo ra: đừng dùng tệp này.</translation>
    </message>
    <message>
        <source>No computer of {commune} is waiting for confirmation. Import the first bundle of its new computer first, then confirm it.</source>
        <translation>Không có máy nào của {commune} đang chờ xác nhận. Hãy nhập gói đầu tiên của máy mới trước, rồi mới xác nhận.</translation>
    </message>
    <message>
        <source>The digits typed ({typed}) are not the fingerprint of the computer of {commune} waiting for confirmation. Nothing was confirmed. Read the digits again with the commune officer; if they still differ, that computer is not theirs: revoke it and make a new setup file.</source>
        <translation>Các chữ số đã gõ ({typed}) không phải mã nhận dạng của máy {commune} đang chờ xác nhận. Chưa xác nhận gì. Hãy đọc lại các chữ số với cán bộ xã; nếu vẫn khác nhau thì máy đó không phải của xã: hãy thu hồi máy đó và tạo tệp thiết lập mới.</translation>
    </message>
    <message>
        <source>Commune {code} has {n} enrolled computers matching that: give the first digits of the fingerprint of the one to revoke.</source>
        <translation>Xã {code} có {n} máy đã đăng ký khớp với thông tin này: hãy cho biết các chữ số đầu của mã nhận dạng của máy cần thu hồi.</translation>
    </message>
    <message>
        <source>This data file is a province&apos;s, so it cannot be connected as a commune. Choose the commune&apos;s data file, or make a new one.</source>
        <translation>Tệp dữ liệu này là của tỉnh nên không kết nối như một xã được. Hãy chọn tệp dữ liệu của xã, hoặc tạo tệp mới.</translation>
    </message>
    <message>
        <source>This data file is already connected to a province. Nothing was changed. To set up another computer, ask the province for a new setup file and use it on a new data file.</source>
        <translation>Tệp dữ liệu này đã được kết nối với tỉnh. Không có gì thay đổi. Để thiết lập một máy khác, hãy xin tỉnh tệp thiết lập mới và dùng nó cho một tệp dữ liệu mới.</translation>
    </message>
    <message>
        <source>This data file holds the records of {here}, but the setup file is for {there}. Nothing was changed. Ask the province for the setup file of {here}.</source>
        <translation>Tệp dữ liệu này chứa hồ sơ của {here}, nhưng tệp thiết lập lại dành cho {there}. Không có gì thay đổi. Hãy xin tỉnh tệp thiết lập của {here}.</translation>
    </message>
</context>
<context>
    <name>FieldErrors</name>
    <message>
        <source>There is no day {date}: check the day and the month.</source>
        <translation>Không có ngày {date}: hãy xem lại ngày và tháng.</translation>
    </message>
    <message>
        <source>Write the date as dd/mm/yyyy, e.g. 15/03/2026.</source>
        <translation>Hãy ghi ngày theo dạng dd/mm/yyyy, ví dụ 15/03/2026.</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>{field} is longer than {length} characters.</source>
        <translation>{field} dài quá {length} ký tự.</translation>
    </message>
    <message>
        <source>{field}: write one or two phone numbers of 8 to 11 digits (for example 0912 345 678, or 0912345678 / 0987654321); put any other number in the note.</source>
        <translation>{field}: ghi một hoặc hai số điện thoại, mỗi số 8 đến 11 chữ số (ví dụ 0912 345 678, hoặc 0912345678 / 0987654321); số khác xin ghi vào phần ghi chú.</translation>
    </message>
    <message>
        <source>{field}: a CCCD number has 12 digits (an old CMND has 9).</source>
        <translation>{field}: số CCCD có 12 chữ số (CMND cũ có 9 chữ số).</translation>
    </message>
    <message>
        <source>{field} must be between {low} and {high}.</source>
        <translation>{field} phải từ {low} đến {high}.</translation>
    </message>
    <message>
        <source>{field}: choose from the list (no text of your own).</source>
        <translation>{field}: hãy chọn trong danh sách (không tự gõ chữ).</translation>
    </message>
    <message>
        <source>Village name</source>
        <translation>Tên thôn, bản</translation>
    </message>
    <message>
        <source>Kind of village</source>
        <translation>Loại thôn, bản</translation>
    </message>
    <message>
        <source>Decision on difficult villages</source>
        <translation>Quyết định thôn đặc biệt khó khăn</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Family name</source>
        <translation>Họ</translation>
    </message>
    <message>
        <source>Middle name</source>
        <translation>Tên đệm</translation>
    </message>
    <message>
        <source>Given name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Religion</source>
        <translation>Tôn giáo</translation>
    </message>
    <message>
        <source>CCCD number</source>
        <translation>Số CCCD</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <source>Birth year</source>
        <translation>Năm sinh</translation>
    </message>
    <message>
        <source>School</source>
        <translation>Trường</translation>
    </message>
    <message>
        <source>Guardian&apos;s name</source>
        <translation>Tên người giám hộ</translation>
    </message>
    <message>
        <source>Guardian&apos;s phone number</source>
        <translation>Số điện thoại người giám hộ</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>Tên tổ, nhóm</translation>
    </message>
    <message>
        <source>Kind of group</source>
        <translation>Loại tổ, nhóm</translation>
    </message>
    <message>
        <source>Founding decision number</source>
        <translation>Số quyết định thành lập</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>Cơ quan ban hành</translation>
    </message>
    <message>
        <source>Host location</source>
        <translation>Nơi đặt</translation>
    </message>
    <message>
        <source>Registration number</source>
        <translation>Số đăng ký</translation>
    </message>
    <message>
        <source>Field of activity</source>
        <translation>Lĩnh vực hoạt động</translation>
    </message>
    <message>
        <source>Hotline</source>
        <translation>Đường dây nóng</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>Khối lớp</translation>
    </message>
    <message>
        <source>Facilitator teachers</source>
        <translation>Giáo viên phụ trách</translation>
    </message>
    <message>
        <source>Women owners</source>
        <translation>Số phụ nữ làm chủ</translation>
    </message>
    <message>
        <source>Women co-owners</source>
        <translation>Số phụ nữ đồng làm chủ</translation>
    </message>
    <message>
        <source>Support item</source>
        <translation>Nội dung hỗ trợ</translation>
    </message>
    <message>
        <source>Note on the status change</source>
        <translation>Ghi chú về thay đổi tình trạng</translation>
    </message>
    <message>
        <source>Activity title</source>
        <translation>Tên hoạt động</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <source>Facilitator</source>
        <translation>Người hướng dẫn</translation>
    </message>
    <message>
        <source>Organiser</source>
        <translation>Đơn vị tổ chức</translation>
    </message>
    <message>
        <source>Chaired by</source>
        <translation>Người chủ trì</translation>
    </message>
    <message>
        <source>Position of the chair</source>
        <translation>Chức vụ người chủ trì</translation>
    </message>
    <message>
        <source>Funding source</source>
        <translation>Nguồn kinh phí</translation>
    </message>
    <message>
        <source>Voucher number</source>
        <translation>Số phiếu</translation>
    </message>
    <message>
        <source>Support given</source>
        <translation>Hỗ trợ đã thực hiện</translation>
    </message>
    <message>
        <source>Number of cases</source>
        <translation>Số vụ việc</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>Tên tệp</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>Chú thích</translation>
    </message>
</context>
<context>
    <name>GroupDetail</name>
    <message>
        <source>Details</source>
        <translation>Thông tin</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Thành viên</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>Sinh hoạt</translation>
    </message>
    <message>
        <source>Photos and documents</source>
        <translation>Ảnh và văn bản</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Vụ việc</translation>
    </message>
    <message>
        <source>Print the member list</source>
        <translation>In danh sách thành viên</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Founding decision no.</source>
        <translation>Số quyết định thành lập</translation>
    </message>
    <message>
        <source>Decision date</source>
        <translation>Ngày quyết định</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>Cơ quan ban hành</translation>
    </message>
    <message>
        <source>Rules adopted on</source>
        <translation>Ngày ban hành quy chế</translation>
    </message>
    <message>
        <source>Launch date</source>
        <translation>Ngày ra mắt</translation>
    </message>
    <message>
        <source>Host school or place</source>
        <translation>Trường hoặc nơi đặt</translation>
    </message>
    <message>
        <source>Registration no.</source>
        <translation>Số đăng ký</translation>
    </message>
    <message>
        <source>Field of activity</source>
        <translation>Lĩnh vực hoạt động</translation>
    </message>
    <message>
        <source>Hotline</source>
        <translation>Số điện thoại đường dây nóng</translation>
    </message>
    <message>
        <source>changed on dd/mm/yyyy (empty: today)</source>
        <translation>ngày thay đổi dd/mm/yyyy (để trống: hôm nay)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Status since</source>
        <translation>Tình trạng từ ngày</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Subtype</source>
        <translation>Loại hình</translation>
    </message>
    <message>
        <source>dd/mm/yyyy</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <source>Support or equipment received</source>
        <translation>Hỗ trợ, trang thiết bị đã nhận</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Value (đồng)</source>
        <translation>Giá trị (đồng)</translation>
    </message>
    <message>
        <source>e.g. QR traceability labels</source>
        <translation>ví dụ: tem truy xuất nguồn gốc QR</translation>
    </message>
    <message>
        <source>value in đồng</source>
        <translation>giá trị (đồng)</translation>
    </message>
    <message>
        <source>Kind of support</source>
        <translation>Loại hỗ trợ</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Write the value as a number and the date as dd/mm/yyyy.</source>
        <translation>Hãy viết giá trị bằng số và ngày theo dạng dd/mm/yyyy.</translation>
    </message>
    <message>
        <source>Write a whole number, or leave it empty.</source>
        <translation>Hãy ghi một số nguyên, hoặc để trống.</translation>
    </message>
    <message>
        <source>Write the date as dd/mm/yyyy.</source>
        <translation>Hãy viết ngày theo dạng dd/mm/yyyy.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>Ngày/năm sinh</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Chức vụ</translation>
    </message>
    <message>
        <source>Joined</source>
        <translation>Ngày vào</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Ngày rời</translation>
    </message>
    <message>
        <source>Full name of a new member</source>
        <translation>Họ và tên thành viên mới</translation>
    </message>
    <message>
        <source>School</source>
        <translation>Trường học</translation>
    </message>
    <message>
        <source>Hosting body</source>
        <translation>Cơ quan, đơn vị đặt địa chỉ</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>Year or dd/mm/yyyy</source>
        <translation>Năm hoặc dd/mm/yyyy</translation>
    </message>
    <message>
        <source>Add (Enter)</source>
        <translation>Thêm (Enter)</translation>
    </message>
    <message>
        <source>Leaves the group today</source>
        <translation>Rời tổ từ hôm nay</translation>
    </message>
    <message>
        <source>Remove (entered by mistake)</source>
        <translation>Xóa (nhập nhầm)</translation>
    </message>
    <message>
        <source>Write the birth date as dd/mm/yyyy, or only the year.</source>
        <translation>Hãy viết ngày sinh dạng dd/mm/yyyy, hoặc chỉ năm sinh.</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Print the member list…</source>
        <translation>In danh sách thành viên…</translation>
    </message>
    <message>
        <source>Grades (e.g. 6-9)</source>
        <translation>Khối lớp (ví dụ 6-9)</translation>
    </message>
    <message>
        <source>Facilitator teachers</source>
        <translation>Giáo viên phụ trách</translation>
    </message>
    <message>
        <source>Women owners</source>
        <translation>Số phụ nữ làm chủ</translation>
    </message>
    <message>
        <source>Women co-owners</source>
        <translation>Số phụ nữ đồng làm chủ</translation>
    </message>
    <message>
        <source>Board, equipment, notes</source>
        <translation>Ban điều hành, trang thiết bị, ghi chú</translation>
    </message>
    <message>
        <source>Ethnic group</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <source>New member: name, Tab, year, Enter. Enter in any box of the row saves it; Tab goes on to sex (type n for Nữ, m for Nam), ethnic group and role.</source>
        <translation>Thêm thành viên: gõ họ tên, Tab, năm sinh, Enter. Nhấn Enter ở ô nào trong dòng cũng lưu; Tab tiếp để chọn giới tính (gõ n là Nữ, m là Nam), dân tộc và chức vụ.</translation>
    </message>
    <message>
        <source>“{typed}” is not an ethnic group in the list. Type part of its name (accents optional) and pick it.</source>
        <translation>“{typed}” không có trong danh sách dân tộc. Hãy gõ một phần tên dân tộc (không cần dấu) rồi chọn trong danh sách.</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>Buổi sinh hoạt</translation>
    </message>
    <message>
        <source>Present</source>
        <translation>Có mặt</translation>
    </message>
    <message>
        <source>Record a meeting</source>
        <translation>Ghi buổi sinh hoạt</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <source>New group</source>
        <translation>Thêm tổ/nhóm</translation>
    </message>
    <message>
        <source>dd/mm/yyyy</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <source>Kind of group</source>
        <translation>Loại tổ/nhóm</translation>
    </message>
    <message>
        <source>Subtype</source>
        <translation>Loại hình</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Launch date</source>
        <translation>Ngày ra mắt</translation>
    </message>
</context>
<context>
    <name>GroupStatus</name>
    <message>
        <source>Active</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <source>Reorganised</source>
        <translation>Đã kiện toàn</translation>
    </message>
    <message>
        <source>Dissolved</source>
        <translation>Đã giải thể</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Đã dừng</translation>
    </message>
</context>
<context>
    <name>Groups</name>
    <message>
        <source>Choose the kind of group (team, club, trusted address…).</source>
        <translation>Hãy chọn loại tổ/nhóm (tổ truyền thông, CLB, địa chỉ tin cậy…).</translation>
    </message>
    <message>
        <source>This status is not used for this kind of group.</source>
        <translation>Loại tổ/nhóm này không dùng trạng thái đó.</translation>
    </message>
    <message>
        <source>Choose the kind of {type} from the list.</source>
        <translation>Hãy chọn loại {type} trong danh sách.</translation>
    </message>
    <message>
        <source>New groups of this kind are no longer set up in phase {phase}.</source>
        <translation>Giai đoạn {phase} không thành lập mới loại tổ/nhóm này nữa.</translation>
    </message>
    <message>
        <source>This group has {count} members; {low}–{high} are expected.</source>
        <translation>Tổ/nhóm có {count} thành viên; quy định là {low}–{high}.</translation>
    </message>
    <message>
        <source>Outside the {low}–{high} age band: {names}.</source>
        <translation>Ngoài độ tuổi {low}–{high}: {names}.</translation>
    </message>
    <message>
        <source>No meeting recorded in the last 3 months.</source>
        <translation>Chưa ghi buổi sinh hoạt nào trong 3 tháng qua.</translation>
    </message>
    <message>
        <source>Enter the date the status changed.</source>
        <translation>Hãy nhập ngày thay đổi tình trạng.</translation>
    </message>
    <message>
        <source>Choose a group.</source>
        <translation>Hãy chọn tổ/nhóm.</translation>
    </message>
    <message>
        <source>Choose a person.</source>
        <translation>Hãy chọn người.</translation>
    </message>
    <message>
        <source>Choose a role.</source>
        <translation>Hãy chọn chức vụ.</translation>
    </message>
    <message>
        <source>The leaving date is before the joining date.</source>
        <translation>Ngày rời tổ đang trước ngày tham gia.</translation>
    </message>
    <message>
        <source>{name} is already a member of this group.</source>
        <translation>{name} đã là thành viên của tổ/nhóm này.</translation>
    </message>
    <message>
        <source>Choose the kind of support from the list.</source>
        <translation>Hãy chọn loại hỗ trợ trong danh sách.</translation>
    </message>
    <message>
        <source>The value cannot be negative.</source>
        <translation>Giá trị không được là số âm.</translation>
    </message>
</context>
<context>
    <name>GroupsPage</name>
    <message>
        <source>All kinds</source>
        <translation>Tất cả các loại</translation>
    </message>
    <message>
        <source>All villages</source>
        <translation>Tất cả thôn/bản</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Mọi tình trạng</translation>
    </message>
    <message>
        <source>Both phases</source>
        <translation>Cả hai giai đoạn</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>Thêm tổ/nhóm</translation>
    </message>
    <message>
        <source>Print this list</source>
        <translation>In các tổ/nhóm đang hiện</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Print member lists</source>
        <translation>In danh sách thành viên</translation>
    </message>
</context>
<context>
    <name>GroupsTableModel</name>
    <message>
        <source>Group</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Thành viên</translation>
    </message>
    <message>
        <source>Last meeting</source>
        <translation>Sinh hoạt gần nhất</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Tình trạng</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>User guide</source>
        <translation>Hướng dẫn sử dụng</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>{file} was not read: {reason} Nothing was imported. Split the list into smaller files, or copy only the member columns into a new workbook, and try again.</source>
        <translation>Không đọc tệp {file}: {reason} Chưa nhập gì. Hãy chia danh sách thành các tệp nhỏ hơn, hoặc chỉ chép các cột về thành viên sang một bảng tính mới, rồi thử lại.</translation>
    </message>
    <message>
        <source>Cannot read {file} as an Excel workbook (.xlsx). Nothing was imported. Details: {reason}</source>
        <translation>Không đọc được {file} như một tệp Excel (.xlsx). Chưa nhập gì. Chi tiết: {reason}</translation>
    </message>
    <message>
        <source>the file is larger than {mb} MB.</source>
        <translation>tệp lớn hơn {mb} MB.</translation>
    </message>
    <message>
        <source>it holds more than {n} parts.</source>
        <translation>tệp chứa hơn {n} phần.</translation>
    </message>
    <message>
        <source>its contents unpack to more than {mb} MB.</source>
        <translation>nội dung giải nén ra hơn {mb} MB.</translation>
    </message>
    <message>
        <source>its part {part} unpacks to far more than a member list needs (a damaged or deliberately inflated file).</source>
        <translation>phần {part} bên trong giải nén ra lớn hơn rất nhiều so với một danh sách thành viên cần (tệp bị hỏng hoặc bị cố ý làm phình to).</translation>
    </message>
    <message>
        <source>its rows reach far beyond the member columns (formatted cells up to column {column}, row {row}).</source>
        <translation>các dòng của tệp kéo dài quá xa các cột danh sách hội viên (có ô được định dạng tới cột {column}, dòng {row}).</translation>
    </message>
    <message>
        <source>The workbook has no sheet &quot;{sheet}&quot;. Its sheets are: {sheets}.</source>
        <translation>Tệp không có trang tính &quot;{sheet}&quot;. Các trang tính là: {sheets}.</translation>
    </message>
    <message>
        <source>it has no sheet of cells.</source>
        <translation>tệp không có trang tính nào chứa ô dữ liệu.</translation>
    </message>
    <message>
        <source>it has more than {n} empty rows.</source>
        <translation>tệp có hơn {n} dòng trống.</translation>
    </message>
    <message>
        <source>it has more than {n} rows.</source>
        <translation>tệp có hơn {n} dòng.</translation>
    </message>
    <message>
        <source>row {row} has cells beyond column {n}.</source>
        <translation>dòng {row} có ô nằm quá cột thứ {n}.</translation>
    </message>
    <message>
        <source>a cell in row {row} holds more than {n} characters.</source>
        <translation>một ô ở dòng {row} chứa hơn {n} ký tự.</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Date or year of birth</source>
        <translation>Ngày hoặc năm sinh</translation>
    </message>
    <message>
        <source>Year of birth (men&apos;s column)</source>
        <translation>Năm sinh (cột Nam)</translation>
    </message>
    <message>
        <source>Year of birth (women&apos;s column)</source>
        <translation>Năm sinh (cột Nữ)</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Ethnic group</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Role in the group</source>
        <translation>Chức vụ trong tổ/nhóm</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <source>CCCD</source>
        <translation>CCCD</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>No header row was found (a row with &quot;Họ và tên&quot; and at least one other known column such as &quot;Năm sinh&quot; or &quot;Dân tộc&quot;). Nothing was imported; choose the columns by hand.</source>
        <translation>Không tìm thấy dòng tiêu đề (dòng có &quot;Họ và tên&quot; và ít nhất một cột quen thuộc khác như &quot;Năm sinh&quot; hay &quot;Dân tộc&quot;). Chưa nhập gì; hãy chọn cột bằng tay.</translation>
    </message>
    <message>
        <source>There is no village &quot;{name}&quot; to use instead of &quot;{old}&quot;. Choose one of the commune&apos;s villages.</source>
        <translation>Không có thôn &quot;{name}&quot; để dùng thay cho &quot;{old}&quot;. Hãy chọn một thôn của xã.</translation>
    </message>
    <message>
        <source>&quot;{field}&quot; cannot have a default. Defaults exist for: {fields}.</source>
        <translation>&quot;{field}&quot; không có giá trị mặc định. Chỉ đặt mặc định được cho: {fields}.</translation>
    </message>
    <message>
        <source>The default sex &quot;{value}&quot; is neither Nữ nor Nam.</source>
        <translation>Giới tính mặc định &quot;{value}&quot; không phải Nữ hay Nam.</translation>
    </message>
    <message>
        <source>There is no group &quot;{name}&quot; for the default group.</source>
        <translation>Không có tổ/nhóm &quot;{name}&quot; để làm tổ/nhóm mặc định.</translation>
    </message>
    <message>
        <source>There is no role &quot;{name}&quot; for the default role.</source>
        <translation>Không có vai trò &quot;{name}&quot; để làm vai trò mặc định.</translation>
    </message>
    <message>
        <source>There is no ethnic group &quot;{name}&quot; for the default.</source>
        <translation>Không có dân tộc &quot;{name}&quot; để làm giá trị mặc định.</translation>
    </message>
    <message>
        <source>Choose which column holds the full name.</source>
        <translation>Hãy chọn cột chứa họ và tên.</translation>
    </message>
    <message>
        <source>Converted from the old {encoding} font: &quot;{before}&quot; → &quot;{after}&quot;; check it.</source>
        <translation>Đã chuyển từ phông cũ {encoding}: &quot;{before}&quot; → &quot;{after}&quot;; hãy kiểm tra lại.</translation>
    </message>
    <message>
        <source>The full name is missing.</source>
        <translation>Thiếu họ và tên.</translation>
    </message>
    <message>
        <source>The birth cell holds the number {value}, which is neither a year nor in a cell formatted as a date: write the year, or format the cell as a date.</source>
        <translation>Ô năm sinh chứa số {value}: không phải năm, cũng không nằm trong ô định dạng ngày: hãy ghi năm sinh, hoặc định dạng ô là ngày tháng.</translation>
    </message>
    <message>
        <source>The birth date &quot;{value}&quot; cannot be read (dd/mm/yyyy or a year).</source>
        <translation>Không đọc được ngày sinh &quot;{value}&quot; (dd/mm/yyyy hoặc năm sinh).</translation>
    </message>
    <message>
        <source>The sex is missing (Nam or Nữ): choose a default or the sex of this row.</source>
        <translation>Thiếu giới tính (Nam hoặc Nữ): chọn giới tính mặc định hoặc chọn cho dòng này.</translation>
    </message>
    <message>
        <source>There is no group &quot;{name}&quot;; the person is imported without joining a group.</source>
        <translation>Không có tổ/nhóm &quot;{name}&quot;; người này được nhập nhưng không vào tổ/nhóm nào.</translation>
    </message>
    <message>
        <source>The role &quot;{name}&quot; is not in the list; recorded as a member.</source>
        <translation>Vai trò &quot;{name}&quot; không có trong danh mục; ghi là thành viên.</translation>
    </message>
    <message>
        <source>Same person as row {row}.</source>
        <translation>Trùng với dòng {row}.</translation>
    </message>
    <message>
        <source>The ethnic group &quot;{name}&quot; is not in the list; left empty.</source>
        <translation>Dân tộc &quot;{name}&quot; không có trong danh mục; để trống.</translation>
    </message>
    <message>
        <source>A total row, not a person.</source>
        <translation>Dòng tổng cộng, không phải một người.</translation>
    </message>
    <message>
        <source>Part of the signature block, not a person.</source>
        <translation>Phần ký tên, không phải một người.</translation>
    </message>
    <message>
        <source>A place and date line, not a person.</source>
        <translation>Dòng địa danh, ngày tháng, không phải một người.</translation>
    </message>
    <message>
        <source>Column titles (&quot;Nam&quot; / &quot;Nữ&quot;), not a person.</source>
        <translation>Dòng tiêu đề cột (&quot;Nam&quot; / &quot;Nữ&quot;), không phải một người.</translation>
    </message>
    <message>
        <source>The birth year {year} is in the future.</source>
        <translation>Năm sinh {year} ở tương lai.</translation>
    </message>
    <message>
        <source>The birth year {year} is more than {age} years ago; check it.</source>
        <translation>Năm sinh {year} cách đây hơn {age} năm; hãy kiểm tra lại.</translation>
    </message>
    <message>
        <source>{field} {value} was stored as a number and lost its leading 0; read as {fixed}.</source>
        <translation>{field} {value} được lưu dạng số nên mất số 0 ở đầu; đã đọc thành {fixed}.</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import a list from Excel</source>
        <translation>Nhập danh sách từ Excel</translation>
    </message>
    <message>
        <source>Choose the columns…</source>
        <translation>Chọn cột…</translation>
    </message>
    <message>
        <source>Nữ (women&apos;s list)</source>
        <translation>Nữ (danh sách hội viên phụ nữ)</translation>
    </message>
    <message>
        <source>Nam</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>Ask for each row</source>
        <translation>Hỏi từng dòng</translation>
    </message>
    <message>
        <source>(as in the list)</source>
        <translation>(theo danh sách)</translation>
    </message>
    <message>
        <source>(do not add to a group)</source>
        <translation>(không đưa vào tổ/nhóm nào)</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Thành viên</translation>
    </message>
    <message>
        <source>Import a person written twice in the list twice</source>
        <translation>Nhập cả người ghi hai lần</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Dòng</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Village in the list</source>
        <translation>Thôn trong danh sách</translation>
    </message>
    <message>
        <source>Put its people in</source>
        <translation>Đưa người vào thôn</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Các dòng</translation>
    </message>
    <message>
        <source>New villages</source>
        <translation>Thôn mới</translation>
    </message>
    <message>
        <source>Save the refused rows as Excel…</source>
        <translation>Lưu các dòng bị từ chối ra Excel…</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>Trang tính</translation>
    </message>
    <message>
        <source>Sex when not in the list</source>
        <translation>Giới tính khi danh sách không ghi</translation>
    </message>
    <message>
        <source>Village when not in the list</source>
        <translation>Thôn khi danh sách không ghi</translation>
    </message>
    <message>
        <source>Also add everyone to</source>
        <translation>Đồng thời đưa vào</translation>
    </message>
    <message>
        <source>Role in the group</source>
        <translation>Vai trò trong tổ/nhóm</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <source>Written twice</source>
        <translation>Ghi hai lần</translation>
    </message>
    <message>
        <source>Not a person</source>
        <translation>Không phải người</translation>
    </message>
    <message>
        <source>Reading the list…</source>
        <translation>Đang đọc danh sách…</translation>
    </message>
    <message>
        <source>Nữ</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>Create this new village</source>
        <translation>Tạo thôn mới này</translation>
    </message>
    <message>
        <source>New villages ({n})</source>
        <translation>Thôn mới ({n})</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Mới</translation>
    </message>
    <message>
        <source>Choose the file…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>Choose the list</source>
        <translation>Chọn danh sách</translation>
    </message>
    <message>
        <source>Lists (*.xlsx *.xls *.csv);;Excel workbooks (*.xlsx *.xls);;CSV (*.csv)</source>
        <translation>Danh sách (*.xlsx *.xls *.csv);;Bảng tính Excel (*.xlsx *.xls);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>{new} new, {matched} already registered, {same} written twice (skipped), {refused} refused, {other} rows that are not people; {villages} new villages. Nothing is written until you press Import.</source>
        <translation>{new} người mới, {matched} người đã có, {same} người ghi hai lần (bỏ qua), {refused} dòng bị từ chối, {other} dòng không phải người; {villages} thôn mới. Chưa có gì được ghi cho đến khi bấm Nhập.</translation>
    </message>
    <message>
        <source>Already registered</source>
        <translation>Đã có</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Từ chối</translation>
    </message>
    <message>
        <source>Save the refused rows</source>
        <translation>Lưu các dòng bị từ chối</translation>
    </message>
    <message>
        <source>Report saved: {file}</source>
        <translation>Đã lưu báo cáo: {file}</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <source>Import summary</source>
        <translation>Kết quả nhập</translation>
    </message>
    <message>
        <source>Check before importing</source>
        <translation>Kiểm tra trước khi nhập</translation>
    </message>
    <message>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>cập nhật</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>không đổi</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>xung đột</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>đã xóa</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>bị từ chối</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>đã nhập</translation>
    </message>
    <message>
        <source>ready to import</source>
        <translation>sẵn sàng nhập</translation>
    </message>
    <message>
        <source>already imported</source>
        <translation>đã nhập trước đó</translation>
    </message>
    <message>
        <source>REFUSED</source>
        <translation>BỊ TỪ CHỐI</translation>
    </message>
    <message>
        <source>File / record</source>
        <translation>Tệp / bản ghi</translation>
    </message>
    <message>
        <source>What happens</source>
        <translation>Xử lý</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>no change</source>
        <translation>không có thay đổi</translation>
    </message>
    <message>
        <source>New computer registered; its fingerprint is {f}. It is sent no personal data until you compare the fingerprint with the commune by phone and confirm it.</source>
        <translation>Đã đăng ký máy mới; mã nhận dạng là {f}. Máy này chưa được gửi dữ liệu cá nhân nào cho đến khi bạn đối chiếu mã nhận dạng với xã qua điện thoại và xác nhận.</translation>
    </message>
    <message>
        <source>computer not confirmed yet</source>
        <translation>máy chưa được xác nhận</translation>
    </message>
    <message>
        <source>Nothing has been written yet. A restore point is made before importing.</source>
        <translation>Chưa ghi gì. Trước khi nhập, chương trình tạo một điểm khôi phục.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
</context>
<context>
    <name>Indicators</name>
    <message>
        <source>Behind schedule: {name} — {achieved} of {target} ({percent}%)</source>
        <translation>Chậm tiến độ: {name} — {achieved}/{target} ({percent}%)</translation>
    </message>
    <message>
        <source>{group} has {count} members (a team needs at least {minimum})</source>
        <translation>{group} có {count} thành viên (một tổ cần ít nhất {minimum})</translation>
    </message>
    <message>
        <source>{group} has no meeting recorded</source>
        <translation>{group} chưa có buổi sinh hoạt nào được ghi</translation>
    </message>
    <message>
        <source>{group} has not met for {days} days (last meeting {date})</source>
        <translation>{group} đã {days} ngày không sinh hoạt (lần gần nhất {date})</translation>
    </message>
    <message>
        <source>{count} changes have never been sent to the province</source>
        <translation>{count} thay đổi chưa từng được gửi lên tỉnh</translation>
    </message>
    <message>
        <source>{count} changes not sent to the province for {days} days</source>
        <translation>{count} thay đổi chưa gửi lên tỉnh đã {days} ngày</translation>
    </message>
    <message>
        <source>{commune} has not reported this quarter (last data {date})</source>
        <translation>{commune} chưa gửi số liệu trong quý này (lần gần nhất {date})</translation>
    </message>
    <message>
        <source>Unknown phase {phase}: use 2021-2025 or 2026-2030.</source>
        <translation>Không có giai đoạn {phase}: dùng 2021-2025 hoặc 2026-2030.</translation>
    </message>
    <message>
        <source>The year {year} is outside the programme (2021–2030).</source>
        <translation>Năm {year} nằm ngoài chương trình (2021–2030).</translation>
    </message>
    <message>
        <source>Choose a quarter or a half-year, not both.</source>
        <translation>Hãy chọn một quý hoặc 6 tháng, không chọn cả hai.</translation>
    </message>
    <message>
        <source>The quarter is 1, 2, 3 or 4.</source>
        <translation>Quý là 1, 2, 3 hoặc 4.</translation>
    </message>
    <message>
        <source>The half-year is 1 or 2.</source>
        <translation>Kỳ 6 tháng là 1 hoặc 2.</translation>
    </message>
    <message>
        <source>phase {phase}</source>
        <translation>giai đoạn {phase}</translation>
    </message>
    <message>
        <source>quarter {quarter}/{year}</source>
        <translation>quý {quarter}/{year}</translation>
    </message>
    <message>
        <source>year {year}</source>
        <translation>năm {year}</translation>
    </message>
    <message>
        <source>Quarter {quarter}</source>
        <translation>Quý {quarter}</translation>
    </message>
</context>
<context>
    <name>Keys</name>
    <message>
        <source>The sync keys of this computer are protected by a passphrase. Enter it (or set DA8_KEY_PASSPHRASE for scripts).</source>
        <translation>Khóa đồng bộ của máy này được bảo vệ bằng mật khẩu. Hãy nhập mật khẩu (hoặc đặt DA8_KEY_PASSPHRASE khi chạy bằng kịch bản).</translation>
    </message>
    <message>
        <source>Choose a passphrase of at least {n} characters.</source>
        <translation>Hãy chọn mật khẩu có ít nhất {n} ký tự.</translation>
    </message>
    <message>
        <source>The sync keys of this data file were not protected by this program&apos;s method (a test file?). Set this computer up again from a new setup file of the province.</source>
        <translation>Khóa đồng bộ của tệp dữ liệu này không được bảo vệ theo cách của chương trình này (tệp dùng để kiểm thử?). Hãy thiết lập lại máy này từ một tệp thiết lập mới của tỉnh.</translation>
    </message>
    <message>
        <source>The sync keys of this data file are locked to another Windows account or computer. Set this computer up again from a new setup file of the province.</source>
        <translation>Khóa đồng bộ của tệp dữ liệu này gắn với tài khoản Windows hoặc máy tính khác. Hãy thiết lập lại máy này từ tệp thiết lập mới của tỉnh.</translation>
    </message>
    <message>
        <source>Wrong passphrase for the sync keys.</source>
        <translation>Sai mật khẩu của khóa đồng bộ.</translation>
    </message>
</context>
<context>
    <name>LegacyUnits</name>
    <message>
        <source>Several of them: I will assign them later</source>
        <translation>Thuộc nhiều xã cũ: tôi sẽ ghi sau</translation>
    </message>
    <message>
        <source>Records from before the merger</source>
        <translation>Số liệu trước khi sáp nhập</translation>
    </message>
    <message>
        <source>This commune was formed on 1/7/2025 by merging {communes}. The records from before that day do not say which former commune they happened in. In which former commune were they kept?</source>
        <translation>Xã này được thành lập ngày 1/7/2025 do sáp nhập {communes}. Các số liệu trước ngày đó chưa ghi thuộc xã cũ nào. Các số liệu đó được ghi ở xã cũ nào?</translation>
    </message>
    <message>
        <source>{count} records now say they were kept in {commune}.</source>
        <translation>Đã ghi {count} số liệu là thuộc {commune}.</translation>
    </message>
</context>
<context>
    <name>Lock</name>
    <message>
        <source>The data file {file} is already open in another window of da8desktop (computer {host}, user {user}, since {since}). Use that window, or close it and open the file again.</source>
        <translation>Tệp dữ liệu {file} đang được mở trong một cửa sổ da8desktop khác (máy {host}, người dùng {user}, từ {since}). Hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại tệp.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>da8desktop — Project 8 records</source>
        <translation>da8desktop — Hồ sơ Dự án 8</translation>
    </message>
    <message>
        <source>This file is on read-only media: you can look, but nothing can be saved. Copy it to the computer to edit it.</source>
        <translation>Tệp này nằm trên thiết bị chỉ cho đọc: bạn có thể xem nhưng không lưu được gì. Hãy chép tệp vào máy tính để sửa.</translation>
    </message>
    <message>
        <source>Demo data — not real data.</source>
        <translation>Dữ liệu mẫu — không phải dữ liệu thật.</translation>
    </message>
    <message>
        <source>Leave the demo</source>
        <translation>Rời xã mẫu</translation>
    </message>
    <message>
        <source>Made-up people to learn the application; nothing here is sent to the province.</source>
        <translation>Người và tổ/nhóm giả định để làm quen với phần mềm; không có gì ở đây được gửi lên tỉnh.</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <source>Provinces&apos; figures</source>
        <translation>Số liệu các tỉnh</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Tiến độ</translation>
    </message>
    <message>
        <source>Periodic report</source>
        <translation>Báo cáo định kỳ</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Tổng quan</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Người</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Meetings and activities</source>
        <translation>Sinh hoạt và hoạt động</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Recently deleted</source>
        <translation>Đã xóa gần đây</translation>
    </message>
    <message>
        <source>Communes&apos; data</source>
        <translation>Dữ liệu các xã</translation>
    </message>
    <message>
        <source>Send and receive</source>
        <translation>Gửi và nhận</translation>
    </message>
    <message>
        <source>The province&apos;s own activities</source>
        <translation>Hoạt động của tỉnh</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Nhật ký</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>DEMO DATA</source>
        <translation>DỮ LIỆU MẪU</translation>
    </message>
    <message>
        <source>This data file holds the demo commune. Create your own data file with File › New data file, then set it up from the province&apos;s setup file.</source>
        <translation>Tệp dữ liệu này chứa xã mẫu. Hãy tạo tệp dữ liệu của bạn bằng Tệp › Tệp dữ liệu mới…, rồi thiết lập từ tệp thiết lập của tỉnh.</translation>
    </message>
    <message>
        <source>Set up</source>
        <translation>Thiết lập</translation>
    </message>
    <message>
        <source>Your data file {file} is already set up for {unit}. Open it?</source>
        <translation>Tệp dữ liệu {file} của bạn đã được thiết lập cho {unit}. Mở tệp đó?</translation>
    </message>
    <message>
        <source>This data file is already set up. To set up another one, create a new data file first (File › New data file).</source>
        <translation>Tệp dữ liệu này đã được thiết lập. Muốn thiết lập một tệp khác, hãy tạo tệp dữ liệu mới trước (Tệp › Tệp dữ liệu mới…).</translation>
    </message>
    <message>
        <source>Checking the data file…</source>
        <translation>Đang kiểm tra tệp dữ liệu…</translation>
    </message>
    <message>
        <source>The data file is damaged</source>
        <translation>Tệp dữ liệu bị hỏng</translation>
    </message>
    <message>
        <source>The check of {file} found damage ({detail}). Restore the newest backup, made on {date}? The damaged file is kept in the backups folder.</source>
        <translation>Khi kiểm tra tệp {file}, chương trình phát hiện tệp bị hỏng ({detail}). Khôi phục bản sao lưu mới nhất, tạo lúc {date}? Tệp bị hỏng vẫn được giữ lại trong thư mục sao lưu (backups).</translation>
    </message>
    <message>
        <source>The check of {file} found damage ({detail}). Stop entering data, close the application and open it again: it offers the newest backup.</source>
        <translation>Khi kiểm tra {file} đã phát hiện hư hỏng ({detail}). Hãy ngừng nhập liệu, đóng chương trình rồi mở lại: chương trình sẽ đề nghị khôi phục bản sao lưu mới nhất.</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Khôi phục</translation>
    </message>
    <message>
        <source>The data is back as it was on {date}. The file you had before is in the backups folder.</source>
        <translation>Dữ liệu đã trở về như lúc {date}. Tệp trước đó được giữ trong thư mục sao lưu.</translation>
    </message>
    <message>
        <source>Restoring the backup…</source>
        <translation>Đang khôi phục bản sao lưu…</translation>
    </message>
    <message>
        <source>Deleted “{name}” (Ctrl+Z to undo).</source>
        <translation>Đã xóa “{name}” (Ctrl+Z để hoàn tác).</translation>
    </message>
    <message>
        <source>Deleted (Ctrl+Z to undo).</source>
        <translation>Đã xóa (Ctrl+Z để hoàn tác).</translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation>Không có gì để hoàn tác.</translation>
    </message>
    <message>
        <source>The deleted record is back.</source>
        <translation>Bản ghi vừa xóa đã được khôi phục.</translation>
    </message>
    <message>
        <source>New data file</source>
        <translation>Tệp dữ liệu mới</translation>
    </message>
    <message>
        <source>da8desktop data files (*.sqlite)</source>
        <translation>Tệp dữ liệu da8desktop (*.sqlite)</translation>
    </message>
    <message>
        <source>{file} already exists. Choose another name, or open it with File › Open data file.</source>
        <translation>Tệp {file} đã có. Hãy chọn tên khác, hoặc mở tệp đó bằng Tệp › Mở tệp dữ liệu.</translation>
    </message>
    <message>
        <source>Open data file</source>
        <translation>Mở tệp dữ liệu</translation>
    </message>
    <message>
        <source>Opened {file}.</source>
        <translation>Đã mở {file}.</translation>
    </message>
    <message>
        <source>Changes not yet confirmed by the province: {count} or more</source>
        <translation>Thay đổi chưa được tỉnh xác nhận: {count} trở lên</translation>
    </message>
    <message>
        <source>Choose a passphrase for this computer&apos;s sync keys (at least 8 characters). Write it down and keep it safe.</source>
        <translation>Chọn mật khẩu cho khóa đồng bộ của máy này (ít nhất 8 ký tự). Hãy ghi lại và cất giữ cẩn thận.</translation>
    </message>
    <message>
        <source>Passphrase of this computer&apos;s sync keys:</source>
        <translation>Mật khẩu khóa đồng bộ của máy này:</translation>
    </message>
    <message>
        <source>Sync keys</source>
        <translation>Khóa đồng bộ</translation>
    </message>
    <message>
        <source>Not set up</source>
        <translation>Chưa thiết lập</translation>
    </message>
    <message>
        <source>Data: {folder}</source>
        <translation>Dữ liệu: {folder}</translation>
    </message>
    <message>
        <source>Changes not yet confirmed by the province: {count}</source>
        <translation>Thay đổi chưa được tỉnh xác nhận: {count}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sửa</translation>
    </message>
    <message>
        <source>&amp;Undo delete</source>
        <translation>&amp;Hoàn tác xóa</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Hướng dẫn sử dụng</translation>
    </message>
    <message>
        <source>&amp;About da8desktop</source>
        <translation>&amp;Giới thiệu da8desktop</translation>
    </message>
    <message>
        <source>&amp;New data file…</source>
        <translation>Tệp dữ liệu &amp;mới…</translation>
    </message>
    <message>
        <source>&amp;Open data file…</source>
        <translation>&amp;Mở tệp dữ liệu…</translation>
    </message>
    <message>
        <source>&amp;Recent data files</source>
        <translation>Tệp dữ liệu &amp;gần đây</translation>
    </message>
    <message>
        <source>&amp;Set up from the province&apos;s setup file…</source>
        <translation>&amp;Thiết lập từ tệp thiết lập của tỉnh…</translation>
    </message>
    <message>
        <source>&amp;Explore the demo commune</source>
        <translation>&amp;Xem xã mẫu</translation>
    </message>
    <message>
        <source>&amp;Leave the demo</source>
        <translation>&amp;Rời xã mẫu</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(chưa có)</translation>
    </message>
</context>
<context>
    <name>MeetingDialog</name>
    <message>
        <source>Activity with a list of participants</source>
        <translation>Hoạt động có danh sách người tham gia</translation>
    </message>
    <message>
        <source>Group meeting</source>
        <translation>Sinh hoạt tổ/nhóm</translation>
    </message>
    <message>
        <source>Add a guest: type a name</source>
        <translation>Thêm khách mời: gõ tên</translation>
    </message>
    <message>
        <source>Add guest</source>
        <translation>Thêm khách</translation>
    </message>
    <message>
        <source>Add participant</source>
        <translation>Thêm người tham gia</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>Chủ đề</translation>
    </message>
    <message>
        <source>(from the kind)</source>
        <translation>(theo loại hoạt động)</translation>
    </message>
    <message>
        <source>Activity group</source>
        <translation>Nhóm hoạt động</translation>
    </message>
    <message>
        <source>Register a participant…</source>
        <translation>Đăng ký người tham dự…</translation>
    </message>
    <message>
        <source>Who came (untick those absent)</source>
        <translation>Người có mặt (bỏ dấu tích người vắng)</translation>
    </message>
    <message>
        <source>Meeting of {month}/{year}</source>
        <translation>Sinh hoạt tháng {month}/{year}</translation>
    </message>
    <message>
        <source> (guest)</source>
        <translation> (khách mời)</translation>
    </message>
    <message>
        <source>No registered person matches “{typed}”. Check the spelling, or add the person on the People page first.</source>
        <translation>Không có ai đã đăng ký khớp với “{typed}”. Hãy kiểm tra lại chính tả, hoặc thêm người này ở trang Người trước.</translation>
    </message>
    <message>
        <source>{present} of {total} present</source>
        <translation>{present}/{total} người có mặt</translation>
    </message>
    <message>
        <source>Write the date as dd/mm/yyyy.</source>
        <translation>Hãy viết ngày theo dạng dd/mm/yyyy.</translation>
    </message>
</context>
<context>
    <name>Migrations</name>
    <message>
        <source>This data file was written by a newer version of da8desktop (schema {revision}). Install the newer version to open it; the file has not been changed.</source>
        <translation>Tệp dữ liệu này được ghi bởi phiên bản da8desktop mới hơn (lược đồ {revision}). Hãy cài phiên bản mới hơn để mở; tệp không bị thay đổi.</translation>
    </message>
    <message>
        <source>Upgrading the data file failed and nothing was changed. A copy was kept at {backup}. Details: {details}</source>
        <translation>Nâng cấp tệp dữ liệu không thành công và không có gì bị thay đổi. Bản sao được giữ tại {backup}. Chi tiết: {details}</translation>
    </message>
</context>
<context>
    <name>Move</name>
    <message>
        <source>The database {target} already holds data. Nothing was copied. Give an empty database (see the README, “A province server”).</source>
        <translation>Cơ sở dữ liệu {target} đã có dữ liệu. Chưa sao chép gì. Hãy dùng một cơ sở dữ liệu còn trống (xem README, mục “Máy chủ của tỉnh”).</translation>
    </message>
    <message>
        <source>Copying {table} gave {held} rows instead of {expected}. Nothing was copied; the file is unchanged.</source>
        <translation>Sao chép bảng {table} được {held} dòng thay vì {expected}. Chưa sao chép gì; tệp vẫn nguyên.</translation>
    </message>
</context>
<context>
    <name>NoticeBanner</name>
    <message>
        <source>Continue</source>
        <translation>Tiếp tục</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>People</source>
        <translation>Người</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Group meetings</source>
        <translation>Buổi sinh hoạt tổ/nhóm</translation>
    </message>
    <message>
        <source>Attendance records</source>
        <translation>Lượt điểm danh</translation>
    </message>
    <message>
        <source>Other activities</source>
        <translation>Hoạt động khác</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Kind of group</source>
        <translation>Loại tổ/nhóm</translation>
    </message>
    <message>
        <source>Current members</source>
        <translation>Thành viên hiện tại</translation>
    </message>
    <message>
        <source>Groups by kind</source>
        <translation>Tổ/nhóm theo loại</translation>
    </message>
    <message>
        <source>Counting the records…</source>
        <translation>Đang đếm hồ sơ…</translation>
    </message>
    <message>
        <source>The figures could not be counted.</source>
        <translation>Không đếm được các số liệu.</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Tổng quan</translation>
    </message>
    <message>
        <source>{where} — demo data for trying the application</source>
        <translation>{where} — dữ liệu mẫu để dùng thử chương trình</translation>
    </message>
</context>
<context>
    <name>People</name>
    <message>
        <source>The CCCD number does not match the sex or birth year entered. Please check both; the record was saved as typed.</source>
        <translation>Số CCCD không khớp với giới tính hoặc năm sinh đã nhập. Hãy kiểm tra lại; bản ghi vẫn được lưu như đã nhập.</translation>
    </message>
    <message>
        <source>The personal data of this person was erased for good; the record cannot be edited. Register the person again if needed.</source>
        <translation>Thông tin cá nhân của người này đã bị xóa vĩnh viễn; không sửa được bản ghi này. Nếu cần, hãy đăng ký lại người đó.</translation>
    </message>
    <message>
        <source>Choose female or male.</source>
        <translation>Hãy chọn nữ hoặc nam.</translation>
    </message>
    <message>
        <source>Children&apos;s ID numbers are not recorded. Leave the CCCD empty.</source>
        <translation>Không ghi số định danh của trẻ em. Hãy để trống ô CCCD.</translation>
    </message>
    <message>
        <source>Unknown ethnic group. Choose one from the list.</source>
        <translation>Dân tộc không có trong danh mục. Hãy chọn trong danh sách.</translation>
    </message>
    <message>
        <source>Choose a village of this commune.</source>
        <translation>Hãy chọn một thôn/bản của xã này.</translation>
    </message>
    <message>
        <source>Choose two different people to merge.</source>
        <translation>Hãy chọn hai người khác nhau để gộp.</translation>
    </message>
    <message>
        <source>One of the two people no longer exists; nothing was merged.</source>
        <translation>Một trong hai người không còn nữa; chưa gộp gì.</translation>
    </message>
    <message>
        <source>The personal data was erased for good. {cleaned} backup(s) were cleaned and {dropped} that could not be cleaned were removed. Copies you made by hand (USB sticks, other folders) are not reached: delete them yourself.</source>
        <translation>Đã xóa vĩnh viễn thông tin cá nhân. Đã làm sạch {cleaned} bản sao lưu và xóa {dropped} bản không thể làm sạch. Các bản sao anh/chị tự chép (USB, thư mục khác) không được xóa theo: hãy tự xóa chúng.</translation>
    </message>
    <message>
        <source>{count} duplicate record(s) merged into this person were erased too.</source>
        <translation>{count} hồ sơ trùng đã gộp vào người này cũng đã được xóa.</translation>
    </message>
    <message>
        <source>This person no longer exists.</source>
        <translation>Người này không còn trong danh sách.</translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <source>Search by name — accents optional (Ctrl+F)</source>
        <translation>Tìm theo tên — gõ có dấu hoặc không dấu (Ctrl+F)</translation>
    </message>
    <message>
        <source>All villages</source>
        <translation>Tất cả thôn/bản</translation>
    </message>
    <message>
        <source>Both sexes</source>
        <translation>Cả nam và nữ</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>All ethnic groups</source>
        <translation>Tất cả dân tộc</translation>
    </message>
    <message>
        <source>All ages</source>
        <translation>Mọi độ tuổi</translation>
    </message>
    <message>
        <source>Children (under 16)</source>
        <translation>Trẻ em (dưới 16)</translation>
    </message>
    <message>
        <source>16–30</source>
        <translation>16–30 tuổi</translation>
    </message>
    <message>
        <source>31–59</source>
        <translation>31–59 tuổi</translation>
    </message>
    <message>
        <source>60 and over</source>
        <translation>Từ 60 tuổi</translation>
    </message>
    <message>
        <source>All groups</source>
        <translation>Tất cả tổ/nhóm</translation>
    </message>
    <message>
        <source>Add a person (Ctrl+N)</source>
        <translation>Thêm người (Ctrl+N)</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>Xuất Excel…</translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation>Nhập từ Excel…</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Người</translation>
    </message>
    <message>
        <source>Import from Excel</source>
        <translation>Nhập từ Excel</translation>
    </message>
    <message>
        <source>{created} people added, {matched} already registered, {refused} rows refused.</source>
        <translation>Đã thêm {created} người, {matched} người đã có, {refused} dòng bị từ chối.</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>Xuất Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>{rows} people written to {file}</source>
        <translation>Đã ghi {rows} người vào {file}</translation>
    </message>
    <message>
        <source>Exporting to Excel…</source>
        <translation>Đang xuất Excel…</translation>
    </message>
    <message>
        <source>Saved, please check</source>
        <translation>Đã lưu, xin kiểm tra lại</translation>
    </message>
    <message>
        <source>Erase personal data</source>
        <translation>Xóa vĩnh viễn thông tin cá nhân</translation>
    </message>
    <message>
        <source>Erase the name, date of birth, CCCD, phone, guardian and note of {name} for good, on this computer and, with the next bundles, at the province? Counts by sex, year of birth and ethnic group are kept. This cannot be undone.</source>
        <translation>Xóa vĩnh viễn họ tên, ngày sinh, CCCD, điện thoại, người giám hộ và ghi chú của {name} trên máy này và, qua các gói gửi sau, ở tỉnh? Số liệu theo giới tính, năm sinh và dân tộc vẫn được giữ. Việc này không thể hoàn tác.</translation>
    </message>
    <message>
        <source>Personal data erased</source>
        <translation>Đã xóa vĩnh viễn thông tin cá nhân</translation>
    </message>
    <message>
        <source>Erasing the personal data and cleaning the backups…</source>
        <translation>Đang xóa thông tin cá nhân và làm sạch các bản sao lưu…</translation>
    </message>
    <message>
        <source>Merge two records</source>
        <translation>Gộp hai bản ghi</translation>
    </message>
    <message>
        <source>These two records are the same person. Which one should be kept? Groups and attendance of the other move to it; the other record is removed (it can be restored from Recently deleted).</source>
        <translation>Hai bản ghi này là cùng một người. Giữ lại bản ghi nào? Tổ/nhóm và điểm danh của bản kia sẽ chuyển sang; bản kia được xóa (có thể khôi phục trong mục Đã xóa gần đây).</translation>
    </message>
    <message>
        <source>Keep {name}</source>
        <translation>Giữ {name}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>PeopleTableModel</name>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>Ngày/năm sinh</translation>
    </message>
    <message>
        <source>Ethnic group</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>more than {count} people</source>
        <translation>hơn {count} người</translation>
    </message>
    <message>
        <source>{count} people</source>
        <translation>{count} người</translation>
    </message>
</context>
<context>
    <name>PeriodicReportPage</name>
    <message>
        <source>Periodic report</source>
        <translation>Báo cáo định kỳ</translation>
    </message>
    <message>
        <source>Quarter {q}</source>
        <translation>Quý {q}</translation>
    </message>
    <message>
        <source>First 6 months</source>
        <translation>6 tháng đầu năm</translation>
    </message>
    <message>
        <source>Last 6 months</source>
        <translation>6 tháng cuối năm</translation>
    </message>
    <message>
        <source>Whole year</source>
        <translation>Cả năm</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>Xuất Excel…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Lưu thành PDF…</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <source>Double-click a figure to see the activities behind it.</source>
        <translation>Nhấp đúp vào một số liệu để xem các hoạt động tạo nên số liệu đó.</translation>
    </message>
    <message>
        <source>Counting the activities…</source>
        <translation>Đang đếm các hoạt động…</translation>
    </message>
    <message>
        <source>Whole province</source>
        <translation>Toàn tỉnh</translation>
    </message>
    <message>
        <source>{unit}: activities held from {start} to {end}: {sessions} sessions, {people} participant-times.</source>
        <translation>{unit}: các hoạt động tổ chức từ ngày {start} đến ngày {end}: {sessions} cuộc/buổi, {people} lượt người.</translation>
    </message>
    <message>
        <source>Not known</source>
        <translation>Không rõ</translation>
    </message>
    <message>
        <source>Content, activity group</source>
        <translation>Nội dung, nhóm hoạt động</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Số cuộc/buổi</translation>
    </message>
    <message>
        <source>Participant-times</source>
        <translation>Lượt người</translation>
    </message>
    <message>
        <source>Women</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Men</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>Ethnic minority</source>
        <translation>DTTS</translation>
    </message>
    <message>
        <source>Minority women</source>
        <translation>Nữ DTTS</translation>
    </message>
    <message>
        <source>Children
(under 16)</source>
        <translation>Trẻ em
(dưới 16 tuổi)</translation>
    </message>
    <message>
        <source>Ethnic group:
{name}</source>
        <translation>Dân tộc:
{name}</translation>
    </message>
    <message>
        <source>Village:
{name}</source>
        <translation>Thôn/bản:
{name}</translation>
    </message>
    <message>
        <source>Double-click to see the activities behind this figure.</source>
        <translation>Nhấp đúp để xem các hoạt động tạo nên số liệu này.</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>Xuất Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Lưu thành PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Đang ghi báo cáo…</translation>
    </message>
    <message>
        <source>The report was saved to {file}</source>
        <translation>Đã lưu báo cáo vào {file}</translation>
    </message>
    <message>
        <source>The report could not be written to {file}. Choose another folder, or close the file if it is open in Excel.</source>
        <translation>Không ghi được báo cáo vào {file}. Hãy chọn thư mục khác, hoặc đóng tệp nếu đang mở trong Excel.</translation>
    </message>
</context>
<context>
    <name>PersonDetail</name>
    <message>
        <source>Edit (Enter)</source>
        <translation>Sửa (Enter)</translation>
    </message>
    <message>
        <source>Delete (Del)</source>
        <translation>Xóa (Del)</translation>
    </message>
    <message>
        <source>Merge the two selected</source>
        <translation>Gộp hai người đã chọn</translation>
    </message>
    <message>
        <source>Erase personal data for good…</source>
        <translation>Xóa vĩnh viễn thông tin cá nhân…</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Meetings attended</source>
        <translation>Các buổi sinh hoạt đã tham gia</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>{sex}, born {born}</source>
        <translation>{sex}, sinh {born}</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <source>Possible duplicate</source>
        <translation>Có thể bị trùng</translation>
    </message>
    <message>
        <source>{name} looks like someone already registered: {existing}. Use the existing person instead of creating a new one?</source>
        <translation>{name} có vẻ trùng với người đã có: {existing}. Dùng người đã có thay vì tạo mới?</translation>
    </message>
    <message>
        <source>Use the existing person</source>
        <translation>Dùng người đã có</translation>
    </message>
    <message>
        <source>Create a new person</source>
        <translation>Vẫn tạo người mới</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Edit person</source>
        <translation>Sửa thông tin người</translation>
    </message>
    <message>
        <source>Add a person</source>
        <translation>Thêm người</translation>
    </message>
    <message>
        <source>e.g. Lò Thị Hoa</source>
        <translation>ví dụ: Lò Thị Hoa</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>dd/mm/yyyy or year only</source>
        <translation>dd/mm/yyyy hoặc chỉ năm sinh</translation>
    </message>
    <message>
        <source>12 digits, adults only</source>
        <translation>12 chữ số, chỉ người lớn</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>Ngày/năm sinh</translation>
    </message>
    <message>
        <source>Ethnic group</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Position in the village</source>
        <translation>Chức danh ở thôn/bản</translation>
    </message>
    <message>
        <source>CCCD</source>
        <translation>Số CCCD</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <source>School (children)</source>
        <translation>Trường (trẻ em)</translation>
    </message>
    <message>
        <source>Guardian (children)</source>
        <translation>Người giám hộ (trẻ em)</translation>
    </message>
    <message>
        <source>Write the birth date as dd/mm/yyyy, or only the year.</source>
        <translation>Hãy viết ngày sinh dạng dd/mm/yyyy, hoặc chỉ năm sinh.</translation>
    </message>
</context>
<context>
    <name>Print</name>
    <message>
        <source>There is no group to print.</source>
        <translation>Không có tổ/nhóm nào để in.</translation>
    </message>
    <message>
        <source>Give the sheet a title of at most 300 characters.</source>
        <translation>Hãy đặt tiêu đề cho phiếu, tối đa 300 ký tự.</translation>
    </message>
    <message>
        <source>A blank sheet has from 1 to {most} rows.</source>
        <translation>Phiếu trống có từ 1 đến {most} dòng.</translation>
    </message>
    <message>
        <source>The meeting was not found.</source>
        <translation>Không tìm thấy buổi sinh hoạt.</translation>
    </message>
</context>
<context>
    <name>PrintDialog</name>
    <message>
        <source>Include the CCCD column</source>
        <translation>Thêm cột số CCCD</translation>
    </message>
    <message>
        <source>Include the phone column</source>
        <translation>Thêm cột số điện thoại</translation>
    </message>
    <message>
        <source>Preview and print…</source>
        <translation>Xem trước và in…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Lưu thành PDF…</translation>
    </message>
    <message>
        <source>Personal data is left out unless you need it.</source>
        <translation>Dữ liệu cá nhân chỉ được in khi bạn cần.</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Lưu thành PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>{pages} page(s) saved to {file}</source>
        <translation>Đã lưu {pages} trang vào {file}</translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>Next page</source>
        <translation>Trang sau</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Trang trước</translation>
    </message>
    <message>
        <source>First page</source>
        <translation>Trang đầu</translation>
    </message>
    <message>
        <source>Last page</source>
        <translation>Trang cuối</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>Vừa chiều ngang</translation>
    </message>
    <message>
        <source>Fit page</source>
        <translation>Vừa cả trang</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <source>Portrait</source>
        <translation>Khổ dọc</translation>
    </message>
    <message>
        <source>Landscape</source>
        <translation>Khổ ngang</translation>
    </message>
    <message>
        <source>Show single page</source>
        <translation>Xem từng trang</translation>
    </message>
    <message>
        <source>Show facing pages</source>
        <translation>Xem hai trang đối diện</translation>
    </message>
    <message>
        <source>Show overview of all pages</source>
        <translation>Xem tổng quan mọi trang</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>In</translation>
    </message>
    <message>
        <source>Page setup</source>
        <translation>Thiết lập trang</translation>
    </message>
    <message>
        <source>Print preview — {title}</source>
        <translation>Xem trước khi in — {title}</translation>
    </message>
</context>
<context>
    <name>ProvinceDataPage</name>
    <message>
        <source>Search a name, with or without accents</source>
        <translation>Tìm tên, gõ có dấu hoặc không dấu</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>Số người</translation>
    </message>
    <message>
        <source>Women</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <source>Group meeting</source>
        <translation>Sinh hoạt tổ/nhóm</translation>
    </message>
    <message>
        <source>Communication event</source>
        <translation>Sự kiện truyền thông</translation>
    </message>
    <message>
        <source>Policy dialogue</source>
        <translation>Đối thoại chính sách</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Tập huấn</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Người</translation>
    </message>
    <message>
        <source>Meetings and activities</source>
        <translation>Sinh hoạt và hoạt động</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Communes&apos; data</source>
        <translation>Dữ liệu các xã</translation>
    </message>
    <message>
        <source>Read only: each commune keeps its own records; they arrive here with its bundles.</source>
        <translation>Chỉ xem: mỗi xã tự quản lý hồ sơ của mình; dữ liệu về đây qua các gói xã gửi.</translation>
    </message>
    <message>
        <source>No commune has sent a bundle yet.</source>
        <translation>Chưa có xã nào gửi gói.</translation>
    </message>
    <message>
        <source>{groups} groups, {people}, {activities} meetings and activities</source>
        <translation>{groups} tổ/nhóm, {people}, {activities} sinh hoạt và hoạt động</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <source>The record was not found (it may have been deleted).</source>
        <translation>Không tìm thấy bản ghi (có thể đã bị xóa).</translation>
    </message>
</context>
<context>
    <name>RecordsDialog</name>
    <message>
        <source>{count} records, adding up to {total}</source>
        <translation>{count} bản ghi, cộng lại được {total}</translation>
    </message>
    <message>
        <source>(only the first {limit} are listed; export the report for all)</source>
        <translation>(chỉ liệt kê {limit} bản ghi đầu; xuất báo cáo để xem tất cả)</translation>
    </message>
    <message>
        <source>Double-click a record to open it.</source>
        <translation>Nhấp đúp vào một bản ghi để mở.</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>Tính</translation>
    </message>
</context>
<context>
    <name>SafeDeliveryDialog</name>
    <message>
        <source>Safe-delivery support</source>
        <translation>Hỗ trợ sinh đẻ an toàn</translation>
    </message>
    <message>
        <source>Normal delivery</source>
        <translation>Sinh thường</translation>
    </message>
    <message>
        <source>Caesarean</source>
        <translation>Sinh mổ</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <source>Woman supported</source>
        <translation>Người được hỗ trợ</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Amount (đồng)</source>
        <translation>Số tiền (đồng)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Decision or voucher no.</source>
        <translation>Số quyết định hoặc phiếu chi</translation>
    </message>
    <message>
        <source>Write the date as dd/mm/yyyy.</source>
        <translation>Hãy viết ngày theo dạng dd/mm/yyyy.</translation>
    </message>
</context>
<context>
    <name>SafeDeliveryTab</name>
    <message>
        <source>Normal delivery</source>
        <translation>Sinh thường</translation>
    </message>
    <message>
        <source>Caesarean</source>
        <translation>Sinh mổ</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Woman supported</source>
        <translation>Người được hỗ trợ</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Amount (đồng)</source>
        <translation>Số tiền (đồng)</translation>
    </message>
    <message>
        <source>Voucher</source>
        <translation>Số phiếu</translation>
    </message>
    <message>
        <source>Record a support</source>
        <translation>Ghi khoản hỗ trợ</translation>
    </message>
</context>
<context>
    <name>Selftest</name>
    <message>
        <source>schema {revision}</source>
        <translation>lược đồ dữ liệu {revision}</translation>
    </message>
    <message>
        <source>{people} people, {groups} groups, {attendance} attendance rows</source>
        <translation>{people} người, {groups} tổ/nhóm, {attendance} lượt điểm danh</translation>
    </message>
    <message>
        <source>{pages} pages, built and shown in {ms} ms</source>
        <translation>{pages} trang, dựng và hiện trong {ms} ms</translation>
    </message>
    <message>
        <source>{pages} page(s), {size}</source>
        <translation>{pages} trang, {size}</translation>
    </message>
    <message>
        <source>{rows} rows</source>
        <translation>{rows} dòng</translation>
    </message>
    <message>
        <source>{indicators} indicators, {reached} with a value</source>
        <translation>{indicators} chỉ tiêu, {reached} chỉ tiêu có số liệu</translation>
    </message>
    <message>
        <source>a bundle of {size}: encrypted, signed and imported</source>
        <translation>gói {size}: đã mã hóa, ký và nhập</translation>
    </message>
    <message>
        <source>Open and migrate a new database</source>
        <translation>Mở và nâng cấp một cơ sở dữ liệu mới</translation>
    </message>
    <message>
        <source>Load the demo commune</source>
        <translation>Nạp xã mẫu</translation>
    </message>
    <message>
        <source>Show the main window</source>
        <translation>Hiển thị cửa sổ chính</translation>
    </message>
    <message>
        <source>Print a member list to PDF</source>
        <translation>In danh sách thành viên ra PDF</translation>
    </message>
    <message>
        <source>Export people to Excel</source>
        <translation>Xuất danh sách người ra Excel</translation>
    </message>
    <message>
        <source>Compute the indicators and export the report</source>
        <translation>Tính các chỉ tiêu và xuất báo cáo</translation>
    </message>
    <message>
        <source>Enrol a commune and exchange sync bundles</source>
        <translation>Đăng ký một xã và trao đổi gói đồng bộ</translation>
    </message>
    <message>
        <source>Load the driver for a province server</source>
        <translation>Nạp trình kết nối máy chủ của tỉnh</translation>
    </message>
    <message>
        <source>{count} step(s) failed.</source>
        <translation>{count} bước không thành công.</translation>
    </message>
    <message>
        <source>All steps passed.</source>
        <translation>Mọi bước đều thành công.</translation>
    </message>
</context>
<context>
    <name>Server</name>
    <message>
        <source>“{url}” is not a server database address. Write it like postgresql+psycopg://user:password@server-name/da8</source>
        <translation>“{url}” không phải địa chỉ cơ sở dữ liệu máy chủ. Hãy viết theo mẫu postgresql+psycopg://người_dùng:mật_khẩu@tên-máy-chủ/da8</translation>
    </message>
    <message>
        <source>Cannot connect to {location}: {reason}. Check the server name, the user and the password, and that this computer may connect (ask the administrator).</source>
        <translation>Không kết nối được tới {location}: {reason}. Hãy kiểm tra tên máy chủ, người dùng và mật khẩu, và máy này đã được phép kết nối chưa (hỏi quản trị máy chủ).</translation>
    </message>
    <message>
        <source>Connected to PostgreSQL {version}: the database already holds da8desktop data.</source>
        <translation>Đã kết nối PostgreSQL {version}: cơ sở dữ liệu đã có dữ liệu da8desktop.</translation>
    </message>
    <message>
        <source>Connected to PostgreSQL {version}: the database is empty; da8desktop will set it up at the next start.</source>
        <translation>Đã kết nối PostgreSQL {version}: cơ sở dữ liệu còn trống; da8desktop sẽ thiết lập nó ở lần mở sau.</translation>
    </message>
</context>
<context>
    <name>ServerBox</name>
    <message>
        <source>Server database (province office)</source>
        <translation>Cơ sở dữ liệu máy chủ (văn phòng tỉnh)</translation>
    </message>
    <message>
        <source>Test the connection</source>
        <translation>Kiểm tra kết nối</translation>
    </message>
    <message>
        <source>Use this server</source>
        <translation>Dùng máy chủ này</translation>
    </message>
    <message>
        <source>Use the file on this computer</source>
        <translation>Dùng tệp trên máy này</translation>
    </message>
    <message>
        <source>Now open: {location}</source>
        <translation>Đang mở: {location}</translation>
    </message>
    <message>
        <source>Several officers of the province can share one PostgreSQL database. Write its address as the administrator gave it. The password is kept in Windows Credential Manager, not in a file. The change is used the next time you open the application. To move this computer&apos;s data to an empty server database, run: da8desktop migrate-to ADDRESS</source>
        <translation>Nhiều cán bộ của tỉnh có thể dùng chung một cơ sở dữ liệu PostgreSQL. Gõ địa chỉ do quản trị máy chủ cung cấp. Mật khẩu được giữ trong Windows Credential Manager, không ghi ra tệp. Thay đổi có hiệu lực từ lần mở chương trình sau. Để chuyển dữ liệu của máy này lên một cơ sở dữ liệu máy chủ còn trống, chạy: da8desktop migrate-to ĐỊA_CHỈ</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>Đang kết nối tới máy chủ…</translation>
    </message>
    <message>
        <source>Server database</source>
        <translation>Cơ sở dữ liệu máy chủ</translation>
    </message>
    <message>
        <source>Saved: the application opens this server database from the next start.</source>
        <translation>Đã lưu: từ lần mở sau, chương trình mở cơ sở dữ liệu máy chủ này.</translation>
    </message>
    <message>
        <source>Saved: the application opens the file on this computer from the next start.</source>
        <translation>Đã lưu: từ lần mở sau, chương trình mở tệp trên máy này.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>The backups take {total} (the data file: {data}); older ones are removed to keep them within three times the data file.</source>
        <translation>Các bản sao lưu chiếm {total} (tệp dữ liệu: {data}); các bản cũ được tự động xoá để tổng dung lượng không quá ba lần tệp dữ liệu.</translation>
    </message>
    <message>
        <source>Warning: the disk has only {free} free, too little for the next backup ({needed}). Free some space on this disk, or copy the backups folder to a USB stick and delete old backups from it.</source>
        <translation>Cảnh báo: ổ đĩa chỉ còn trống {free}, không đủ cho lần sao lưu tiếp theo (cần {needed}). Hãy giải phóng bớt dung lượng trên ổ đĩa này, hoặc chép thư mục sao lưu (backups) sang USB rồi xoá bớt các bản sao lưu cũ trong đó.</translation>
    </message>
    <message>
        <source>The new language is used the next time you open the application.</source>
        <translation>Ngôn ngữ mới sẽ được dùng từ lần mở chương trình tiếp theo.</translation>
    </message>
    <message>
        <source>Printed documents</source>
        <translation>Giấy tờ in</translation>
    </message>
    <message>
        <source>Add the commune People&apos;s Committee&apos;s confirmation to member lists</source>
        <translation>Thêm phần xác nhận của UBND xã vào danh sách thành viên</translation>
    </message>
    <message>
        <source>Add it to sign-in sheets too</source>
        <translation>Thêm cả vào danh sách ký nhận</translation>
    </message>
    <message>
        <source>Sort lists by given name (official order)</source>
        <translation>Xếp danh sách theo tên (thứ tự chính thức)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Superior body (top left)</source>
        <translation>Cơ quan cấp trên (góc trái)</translation>
    </message>
    <message>
        <source>Issuing body (top left, bold)</source>
        <translation>Cơ quan ban hành (góc trái, in đậm)</translation>
    </message>
    <message>
        <source>Place in the date line</source>
        <translation>Địa danh ở dòng ngày tháng</translation>
    </message>
    <message>
        <source>Preparer&apos;s title</source>
        <translation>Chức danh người lập biểu</translation>
    </message>
    <message>
        <source>Preparer&apos;s name</source>
        <translation>Họ tên người lập biểu</translation>
    </message>
    <message>
        <source>Signer&apos;s title (one line each)</source>
        <translation>Chức danh người ký (mỗi dòng một ý)</translation>
    </message>
    <message>
        <source>Signer&apos;s name</source>
        <translation>Họ tên người ký</translation>
    </message>
    <message>
        <source>Confirmation heading</source>
        <translation>Tiêu đề phần xác nhận</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <source>This data file is already set up.</source>
        <translation>Tệp dữ liệu này đã được thiết lập.</translation>
    </message>
    <message>
        <source>Unknown province or commune code ({province} / {commune}).</source>
        <translation>Không có mã tỉnh hoặc mã xã này ({province} / {commune}).</translation>
    </message>
    <message>
        <source>A commune installation needs its commune.</source>
        <translation>Cài đặt cho xã phải chọn xã.</translation>
    </message>
</context>
<context>
    <name>StartingWindow</name>
    <message>
        <source>Opening the data file…</source>
        <translation>Đang mở tệp dữ liệu…</translation>
    </message>
</context>
<context>
    <name>Support</name>
    <message>
        <source>Choose the woman supported.</source>
        <translation>Hãy chọn người phụ nữ được hỗ trợ.</translation>
    </message>
    <message>
        <source>Safe-delivery support is given to women.</source>
        <translation>Hỗ trợ sinh đẻ an toàn chỉ dành cho phụ nữ.</translation>
    </message>
    <message>
        <source>Choose the kind of support.</source>
        <translation>Hãy chọn hình thức hỗ trợ.</translation>
    </message>
    <message>
        <source>The amount cannot be negative.</source>
        <translation>Số tiền không được là số âm.</translation>
    </message>
    <message>
        <source>Cases are recorded on a trusted address.</source>
        <translation>Vụ việc phải được ghi tại một Địa chỉ tin cậy.</translation>
    </message>
    <message>
        <source>Choose the form of violence.</source>
        <translation>Hãy chọn hình thức bạo lực.</translation>
    </message>
    <message>
        <source>Choose the age band.</source>
        <translation>Hãy chọn nhóm tuổi.</translation>
    </message>
    <message>
        <source>At least one case.</source>
        <translation>Ít nhất một vụ việc.</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>The file {file} is damaged or incomplete ({detail}). Nothing was imported: copy it onto the stick again from the computer that made it.</source>
        <translation>Tệp {file} bị hỏng hoặc chưa chép đủ ({detail}). Chưa nhập gì: hãy chép lại tệp vào USB từ máy đã tạo ra nó.</translation>
    </message>
    <message>
        <source>The file {file} is larger than any bundle can be ({size} MB; at most {limit} MB). Nothing was imported: it is not a bundle of da8desktop, or it was damaged.</source>
        <translation>Tệp {file} lớn hơn mọi gói dữ liệu có thể có ({size} MB; tối đa {limit} MB). Chưa nhập gì: đây không phải gói dữ liệu của da8desktop, hoặc tệp đã bị hỏng.</translation>
    </message>
    <message>
        <source>{file} is a setup file, not a bundle: it sets up a new commune computer (&quot;Set up this computer from the province&apos;s setup file&quot; at the first start, or da8desktop commune init --setup). Nothing was imported.</source>
        <translation>{file} là tệp thiết lập, không phải gói đồng bộ: tệp này dùng để thiết lập một máy mới của xã (&quot;Thiết lập máy này từ tệp thiết lập của tỉnh&quot; khi mở chương trình lần đầu, hoặc da8desktop commune init --setup). Chưa nhập gì.</translation>
    </message>
    <message>
        <source>There is not enough free space to check {file} ({reason}). Free some space on this computer, then import it again.</source>
        <translation>Không đủ dung lượng trống để kiểm tra tệp {file} ({reason}). Hãy giải phóng bớt dung lượng trên máy này rồi nhập lại.</translation>
    </message>
    <message>
        <source>The file {file} is not addressed to this computer{hint}. Nothing was imported.</source>
        <translation>Tệp {file} không gửi cho máy này{hint}. Chưa nhập gì.</translation>
    </message>
    <message>
        <source>The file {file} uses a bundle format this version does not know. Update the application first; keep the file.</source>
        <translation>Tệp {file} dùng định dạng gói mà phiên bản này chưa biết. Hãy cập nhật chương trình trước; giữ lại tệp.</translation>
    </message>
    <message>
        <source>Cannot read {file}: {reason}</source>
        <translation>Không đọc được {file}: {reason}</translation>
    </message>
    <message>
        <source>{file} is a sync bundle, not a setup file. Ask the province for the setup file of this commune (its name ends in .da8setup).</source>
        <translation>{file} là gói đồng bộ, không phải tệp thiết lập. Hãy xin tỉnh tệp thiết lập của xã này (tên tệp kết thúc bằng .da8setup).</translation>
    </message>
    <message>
        <source>The file {file} was made by a newer version of da8desktop. Update the application first, then import it again; keep the file.</source>
        <translation>Tệp {file} do phiên bản da8desktop mới hơn tạo ra. Hãy cập nhật chương trình trước rồi nhập lại; giữ lại tệp.</translation>
    </message>
    <message>
        <source>The signature of {file} is not valid: the file was changed after it was made. Nothing was imported; ask for a new copy.</source>
        <translation>Chữ ký của {file} không hợp lệ: tệp đã bị thay đổi sau khi tạo. Chưa nhập gì; hãy xin bản mới.</translation>
    </message>
    <message>
        <source>This computer is not set up for sync yet. At a commune: set it up from the province&apos;s setup file (da8desktop commune init --setup FILE). At the province: da8desktop province init --province-code CODE.</source>
        <translation>Máy này chưa được thiết lập để đồng bộ. Ở xã: thiết lập từ tệp thiết lập của tỉnh (da8desktop commune init --setup TỆP). Ở tỉnh: da8desktop province init --province-code MÃ.</translation>
    </message>
    <message>
        <source>The file {file} is not addressed to this computer (it is for {target}). Nothing was imported.</source>
        <translation>Tệp {file} không gửi cho máy này (tệp dành cho {target}). Chưa nhập gì.</translation>
    </message>
    <message>
        <source>{file} was already imported; nothing to do.</source>
        <translation>{file} đã được nhập trước đó; không cần làm gì.</translation>
    </message>
    <message>
        <source>The file {file} was made by an older version of da8desktop. Update the application on the computer that made it, then export again.</source>
        <translation>Tệp {file} do phiên bản da8desktop cũ hơn tạo ra. Hãy cập nhật chương trình trên máy đã tạo tệp rồi xuất lại.</translation>
    </message>
    <message>
        <source>The file {file} changed since the preview. Nothing was imported; preview it again.</source>
        <translation>Tệp {file} đã thay đổi kể từ lúc xem trước. Chưa nhập gì; hãy xem trước lại tệp này.</translation>
    </message>
    <message>
        <source>The computer of {commune} that made {file} is not confirmed yet. Importing registers it but applies none of its data until you compare its fingerprint {fingerprint} with the commune officer by phone and confirm it; then import this file again.</source>
        <translation>Máy tính của {commune} đã tạo tệp {file} chưa được xác nhận. Nhập tệp sẽ đăng ký máy này nhưng chưa đưa dữ liệu nào của máy vào cho đến khi bạn so mã nhận dạng {fingerprint} với cán bộ xã qua điện thoại và xác nhận; sau đó nhập lại tệp này.</translation>
    </message>
    <message>
        <source>The computer of {commune} that made {file} is registered but not confirmed yet, so nothing from it was imported. Compare its fingerprint {fingerprint} with the commune officer by phone, confirm it (Send and receive, &quot;Confirm the chosen computer…&quot;, or da8desktop province confirm --commune-code {code} --fingerprint &quot;DIGITS&quot;), then import this file again.</source>
        <translation>Máy tính của {commune} đã tạo tệp {file} đã được đăng ký nhưng chưa được xác nhận, nên chưa nhập dữ liệu nào từ máy này. Hãy so mã nhận dạng {fingerprint} với cán bộ xã qua điện thoại, xác nhận máy (Gửi và nhận, &quot;Xác nhận máy đã chọn…&quot;, hoặc da8desktop province confirm --commune-code {code} --fingerprint &quot;DÃY SỐ&quot;), rồi nhập lại tệp này.</translation>
    </message>
    <message>
        <source>The file {file} comes from a computer whose registration was revoked. Nothing was imported; that computer must be set up again.</source>
        <translation>Tệp {file} đến từ máy đã bị thu hồi đăng ký. Chưa nhập gì; máy đó phải được thiết lập lại.</translation>
    </message>
    <message>
        <source>The file {file} claims to come from {claimed} but is signed by {real}. Nothing was imported.</source>
        <translation>Tệp {file} ghi là của {claimed} nhưng lại do {real} ký. Chưa nhập gì.</translation>
    </message>
    <message>
        <source>The file {file} claims to carry the changes of another computer. Nothing was imported. Keep the file and check the computer that made it.</source>
        <translation>Tệp {file} tự nhận là mang các thay đổi của một máy tính khác. Chưa nhập gì. Hãy giữ lại tệp và kiểm tra máy tính đã tạo ra nó.</translation>
    </message>
    <message>
        <source>The file {file} comes from a computer that is not registered here. Nothing was imported.</source>
        <translation>Tệp {file} đến từ máy chưa đăng ký ở đây. Chưa nhập gì.</translation>
    </message>
    <message>
        <source>The file {file} asks to register a computer of xã {commune} with an enrolment code that is wrong or already used. Nothing was imported; make a new setup file for that commune.</source>
        <translation>Tệp {file} xin đăng ký một máy của xã {commune} bằng mã đăng ký sai hoặc đã dùng. Chưa nhập gì; hãy tạo tệp thiết lập mới cho xã đó.</translation>
    </message>
    <message>
        <source>The file {file} from a commune changes data only the province may change ({tables}). Nothing was imported.</source>
        <translation>Tệp {file} của xã thay đổi dữ liệu chỉ tỉnh được thay đổi ({tables}). Chưa nhập gì.</translation>
    </message>
    <message>
        <source>The file {file} changes or adds {count} records that are not its commune&apos;s ({tables}). Nothing was imported: a commune may send only its own commune&apos;s records. Keep the file and check the computer that made it.</source>
        <translation>Tệp {file} sửa hoặc thêm {count} bản ghi không thuộc xã của máy gửi ({tables}). Chưa nhập gì: mỗi xã chỉ được gửi bản ghi của chính xã mình. Hãy giữ lại tệp và kiểm tra máy đã tạo ra nó.</translation>
    </message>
    <message>
        <source>{file} is not a valid setup file of da8desktop ({detail}). Nothing was set up: ask the province for a new setup file of this commune.</source>
        <translation>{file} không phải tệp thiết lập hợp lệ của da8desktop ({detail}). Chưa thiết lập gì: hãy xin tỉnh một tệp thiết lập mới cho xã này.</translation>
    </message>
    <message>
        <source>Not taken because {parent} was refused: correct that record first.</source>
        <translation>Chưa nhận vì {parent} bị từ chối: hãy sửa bản ghi đó trước.</translation>
    </message>
    <message>
        <source>This data file went back in time: an older copy was put in its place (the other side has received changes and files from this computer that this file does not hold). It now writes as a new computer and sends your changes again with the next export; nothing was lost. Do not copy data files by hand: use Backups, then Restore.</source>
        <translation>Tệp dữ liệu này đã bị lùi về quá khứ: một bản sao cũ hơn đã được chép đè lên (bên kia đã nhận được những thay đổi và gói dữ liệu từ máy này mà tệp hiện tại không có). Từ nay tệp ghi như một máy mới và sẽ gửi lại các thay đổi của bạn trong lần xuất gói tới; không mất dữ liệu nào. Đừng tự chép tệp dữ liệu: hãy dùng Sao lưu rồi Khôi phục.</translation>
    </message>
    <message>
        <source>This data file is older than the last file sent from it: an older copy was put in its place. It now writes as a new computer, so nothing you change is lost; the changes made since that copy come back from the province with the next exchange. Do not copy data files by hand: use Backups, then Restore.</source>
        <translation>Tệp dữ liệu này cũ hơn lần gửi gói gần nhất từ nó: một bản sao cũ hơn đã được chép đè lên. Từ nay tệp ghi như một máy mới nên mọi thay đổi của bạn đều được giữ; những thay đổi làm sau thời điểm bản sao đó sẽ được tỉnh gửi trả lại trong lần trao đổi tới. Đừng tự chép tệp dữ liệu: hãy dùng Sao lưu rồi Khôi phục.</translation>
    </message>
    <message>
        <source>Choose which value to keep: winner or loser.</source>
        <translation>Hãy chọn giữ giá trị nào: winner (giá trị được giữ) hoặc loser (giá trị bị thay).</translation>
    </message>
    <message>
        <source>There is no open conflict number {id}. See the list with: sync conflicts</source>
        <translation>Không có xung đột nào đang mở mang số {id}. Xem danh sách bằng lệnh: sync conflicts</translation>
    </message>
    <message>
        <source>The province does not change a commune&apos;s records. The commune whose value was not kept sees this conflict too and can restore it there; here, keep the winning value.</source>
        <translation>Tỉnh không sửa hồ sơ của xã. Xã có giá trị không được giữ cũng thấy xung đột này và có thể khôi phục ở đó; ở đây, hãy giữ giá trị đang dùng.</translation>
    </message>
    <message>
        <source>The record of this conflict is not on this computer, so its value cannot be restored here. Keep the winning value, or restore it where the record is kept.</source>
        <translation>Bản ghi của xung đột này không có trên máy này nên không khôi phục giá trị ở đây được. Hãy giữ giá trị đang dùng, hoặc khôi phục ở nơi lưu bản ghi.</translation>
    </message>
    <message>
        <source>The other value of this conflict does not fit the record any more; it cannot be restored. Correct the record by hand.</source>
        <translation>Giá trị kia của xung đột này không còn phù hợp với bản ghi nên không khôi phục được. Hãy sửa bản ghi bằng tay.</translation>
    </message>
    <message>
        <source>{record} was changed again since this conflict (its {field} is no longer the winning value). Open the record and correct it by hand, then keep the winner here.</source>
        <translation>{record} đã được sửa tiếp sau xung đột này (trường {field} không còn là giá trị được giữ). Hãy mở bản ghi và sửa bằng tay, rồi chọn giữ giá trị đang dùng ở đây.</translation>
    </message>
    <message>
        <source>{field} is not an entry of the right list ({value}); the form offers only those.</source>
        <translation>{field} không phải là một mục của danh mục đúng ({value}); biểu mẫu chỉ cho chọn các mục đó.</translation>
    </message>
    <message>
        <source>The support given names codes that are not in the list ({value}).</source>
        <translation>Hình thức hỗ trợ ghi những mã không có trong danh mục ({value}).</translation>
    </message>
    <message>
        <source>Cases are recorded on a trusted address; this record names another kind of group.</source>
        <translation>Vụ việc chỉ được ghi cho địa chỉ tin cậy; bản ghi này gắn với một loại nhóm khác.</translation>
    </message>
    <message>
        <source>The day the cases were received ({value}) is before 2015 or after today.</source>
        <translation>Ngày tiếp nhận vụ việc ({value}) trước năm 2015 hoặc sau ngày hôm nay.</translation>
    </message>
    <message>
        <source>The kind of group &quot;{value}&quot; is not in the list of this type of group.</source>
        <translation>Loại hình &quot;{value}&quot; không có trong danh sách của loại nhóm này.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Send and receive</source>
        <translation>Gửi và nhận</translation>
    </message>
    <message>
        <source>Export bundles for every commune…</source>
        <translation>Xuất gói cho mọi xã…</translation>
    </message>
    <message>
        <source>Write the bundle for the province…</source>
        <translation>Ghi gói gửi tỉnh…</translation>
    </message>
    <message>
        <source>Import a folder of bundles…</source>
        <translation>Nhập cả thư mục gói…</translation>
    </message>
    <message>
        <source>Import from the province…</source>
        <translation>Nhập gói từ tỉnh…</translation>
    </message>
    <message>
        <source>Make a setup file for a commune…</source>
        <translation>Tạo tệp thiết lập cho xã…</translation>
    </message>
    <message>
        <source>Revoke the chosen computer…</source>
        <translation>Thu hồi máy đã chọn…</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Last bundle</source>
        <translation>Gói gần nhất</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Còn thiếu</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Xung đột</translation>
    </message>
    <message>
        <source>Rejected records</source>
        <translation>Bản ghi bị từ chối</translation>
    </message>
    <message>
        <source>Conflicts to review</source>
        <translation>Xung đột cần xem xét</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Confirm the chosen computer…</source>
        <translation>Xác nhận máy đã chọn…</translation>
    </message>
    <message>
        <source>Records the province refused</source>
        <translation>Bản ghi tỉnh không nhận</translation>
    </message>
    <message>
        <source>Correct each one: double-click it (or choose it and press the button) to open its form. It is sent again in the next bundle; it leaves this list when the province has taken it.</source>
        <translation>Hãy sửa từng bản ghi: bấm đúp (hoặc chọn rồi bấm nút) để mở biểu mẫu. Bản ghi được gửi lại trong gói tiếp theo và chỉ rời danh sách này khi tỉnh đã nhận.</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Open and correct…</source>
        <translation>Mở để sửa…</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Trường</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>Giá trị giữ lại</translation>
    </message>
    <message>
        <source>Not kept</source>
        <translation>Giá trị không giữ</translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation>đã đăng ký</translation>
    </message>
    <message>
        <source>setup file given</source>
        <translation>đã cấp tệp thiết lập</translation>
    </message>
    <message>
        <source>waiting for confirmation</source>
        <translation>chờ xác nhận</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>đã thu hồi</translation>
    </message>
    <message>
        <source>not enrolled</source>
        <translation>chưa đăng ký</translation>
    </message>
    <message>
        <source>{enrolled} of {total} communes enrolled. Fingerprint of this province: {f}</source>
        <translation>{enrolled}/{total} xã đã đăng ký. Mã nhận dạng của tỉnh: {f}</translation>
    </message>
    <message>
        <source>{n} new computer(s) waiting for confirmation: they are sent no personal data until you compare their fingerprint by phone and confirm them.</source>
        <translation>{n} máy mới đang chờ xác nhận: các máy này chưa được gửi dữ liệu cá nhân nào cho đến khi bạn đối chiếu mã nhận dạng qua điện thoại và xác nhận.</translation>
    </message>
    <message>
        <source>Fingerprint: {f}</source>
        <translation>Mã nhận dạng: {f}</translation>
    </message>
    <message>
        <source>The province has received everything up to {when}.</source>
        <translation>Tỉnh đã nhận đủ mọi thay đổi đến {when}.</translation>
    </message>
    <message>
        <source>The province has not confirmed any bundle yet.</source>
        <translation>Tỉnh chưa xác nhận gói nào.</translation>
    </message>
    <message>
        <source>Changes not yet confirmed: {n}</source>
        <translation>Thay đổi chưa được tỉnh xác nhận: {n}</translation>
    </message>
    <message>
        <source>Fingerprint of this computer: {f}</source>
        <translation>Mã nhận dạng của máy này: {f}</translation>
    </message>
    <message>
        <source>The province could not take {n} records: correct them (listed below).</source>
        <translation>Tỉnh không nhận {n} bản ghi: hãy sửa các bản ghi này (danh sách bên dưới).</translation>
    </message>
    <message>
        <source>All files (*);;da8desktop bundles (*.da8)</source>
        <translation>Mọi tệp (*);;Gói da8desktop (*.da8)</translation>
    </message>
    <message>
        <source>Setup file for {commune} written:
{path}

Give it to the commune officer and read them this province&apos;s fingerprint by phone when they set up. When their first bundle arrives, the computer waits for confirmation: choose it here and click &quot;Confirm the chosen computer…&quot; with the fingerprint they read to you.</source>
        <translation>Đã ghi tệp thiết lập cho {commune}:
{path}

Hãy giao tệp cho cán bộ xã và đọc cho họ mã nhận dạng của tỉnh qua điện thoại khi họ thiết lập. Khi gói đầu tiên của họ đến, máy đó chờ xác nhận: chọn máy ở đây và bấm &quot;Xác nhận máy đã chọn…&quot; với mã nhận dạng họ đọc cho bạn.</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>Choose a computer that is waiting for confirmation first.</source>
        <translation>Hãy chọn trước một máy đang chờ xác nhận.</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Connect this data file to the province…</source>
        <translation>Kết nối tệp dữ liệu này với tỉnh…</translation>
    </message>
    <message>
        <source>Catalogue…</source>
        <translation>Danh mục…</translation>
    </message>
    <message>
        <source>The indicators and activity groups, and the version held</source>
        <translation>Các chỉ tiêu, nhóm hoạt động và phiên bản đang dùng</translation>
    </message>
    <message>
        <source>Written by</source>
        <translation>Người ghi (xã, máy)</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Lúc</translation>
    </message>
    <message>
        <source>Keep the kept value</source>
        <translation>Giữ giá trị đang dùng</translation>
    </message>
    <message>
        <source>The value kept everywhere stays; the conflict leaves the list.</source>
        <translation>Giá trị đang dùng ở mọi nơi được giữ; xung đột rời khỏi danh sách.</translation>
    </message>
    <message>
        <source>Restore the value not kept</source>
        <translation>Khôi phục giá trị bị thay</translation>
    </message>
    <message>
        <source>Write the value that was not kept again, as a new change from this computer: it travels with the next bundle and replaces the kept value everywhere.</source>
        <translation>Ghi lại giá trị bị thay như một thay đổi mới từ máy này: thay đổi được gửi trong gói tiếp theo và thay giá trị đang dùng ở mọi nơi.</translation>
    </message>
    <message>
        <source>This data file is not connected to a province (a demo commune, or a file set up before sync): nothing is sent from it yet. To send its records to the province, connect it with the province&apos;s setup file: every record is kept and goes with the first bundle.</source>
        <translation>Tệp dữ liệu này chưa kết nối với tỉnh (xã mẫu, hoặc tệp thiết lập trước khi có đồng bộ): chưa gửi gì từ tệp này. Để gửi hồ sơ lên tỉnh, hãy kết nối tệp bằng tệp thiết lập của tỉnh: mọi hồ sơ được giữ nguyên và đi cùng gói đầu tiên.</translation>
    </message>
    <message>
        <source>Choose a record in the list first.</source>
        <translation>Hãy chọn một bản ghi trong danh sách trước.</translation>
    </message>
    <message>
        <source>This record is no longer on this computer; nothing to correct.</source>
        <translation>Bản ghi này không còn trên máy; không có gì để sửa.</translation>
    </message>
    <message>
        <source>Village name</source>
        <translation>Tên thôn, bản</translation>
    </message>
    <message>
        <source>New name of the village</source>
        <translation>Tên mới của thôn, bản</translation>
    </message>
    <message>
        <source>Folder on the USB stick</source>
        <translation>Thư mục trên USB</translation>
    </message>
    <message>
        <source>Writing bundles…</source>
        <translation>Đang ghi gói…</translation>
    </message>
    <message>
        <source>No computer is enrolled to receive a bundle yet.</source>
        <translation>Chưa có máy nào được đăng ký để nhận gói.</translation>
    </message>
    <message>
        <source>{n} bundle(s) written:
{files}</source>
        <translation>Đã ghi {n} gói:
{files}</translation>
    </message>
    <message>
        <source>Folder of bundles</source>
        <translation>Thư mục chứa gói</translation>
    </message>
    <message>
        <source>Bundles from the province</source>
        <translation>Gói từ tỉnh</translation>
    </message>
    <message>
        <source>Compressing the restore point…</source>
        <translation>Đang nén điểm khôi phục…</translation>
    </message>
    <message>
        <source>Choose a conflict in the list first.</source>
        <translation>Hãy chọn một xung đột trong danh sách trước.</translation>
    </message>
    <message>
        <source>Checking the bundles…</source>
        <translation>Đang kiểm tra gói…</translation>
    </message>
    <message>
        <source>No bundle found there.</source>
        <translation>Không tìm thấy gói nào ở đó.</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <source>Setup file</source>
        <translation>Tệp thiết lập</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Thu hồi</translation>
    </message>
    <message>
        <source>Choose an enrolled commune computer first.</source>
        <translation>Hãy chọn một máy xã đã đăng ký trước.</translation>
    </message>
    <message>
        <source>Refuse from now on every bundle of the computer of {commune} with fingerprint {f}? Do this when it is lost or stolen; a new computer is set up from a new setup file.</source>
        <translation>Từ chối từ nay mọi gói của máy {commune} có mã nhận dạng {f}? Làm việc này khi máy bị mất hoặc bị lấy cắp; máy mới được thiết lập từ một tệp thiết lập mới.</translation>
    </message>
</context>
<context>
    <name>TargetSplitDialog</name>
    <message>
        <source>Split {code} over the communes</source>
        <translation>Chia chỉ tiêu {code} cho các xã</translation>
    </message>
    <message>
        <source>Evenly</source>
        <translation>Chia đều</translation>
    </message>
    <message>
        <source>By number of villages</source>
        <translation>Theo số thôn, bản</translation>
    </message>
    <message>
        <source>Typed by hand</source>
        <translation>Tự nhập</translation>
    </message>
    <message>
        <source>Province total ({unit})</source>
        <translation>Tổng toàn tỉnh ({unit})</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Cách chia</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>Số thôn, bản</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Hiện tại</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Mới</translation>
    </message>
    <message>
        <source>Choose how the total is shared. Nothing is saved until you press Apply; then the total and every commune&apos;s target are saved together.</source>
        <translation>Chọn cách chia tổng chỉ tiêu. Chưa có gì được lưu cho đến khi bạn bấm Áp dụng; khi đó tổng và chỉ tiêu của mọi xã được lưu cùng một lúc.</translation>
    </message>
    <message>
        <source>Enter the province&apos;s total as a number.</source>
        <translation>Hãy nhập tổng chỉ tiêu của tỉnh bằng một số.</translation>
    </message>
    <message>
        <source>Allocated {allocated} of {total}: nothing remains.</source>
        <translation>Đã giao {allocated} trên {total}: không còn dư.</translation>
    </message>
    <message>
        <source>Allocated {allocated} of {total}: {remainder} remain to allocate.</source>
        <translation>Đã giao {allocated} trên {total}: còn {remainder} chưa giao.</translation>
    </message>
    <message>
        <source>Allocated {allocated} of {total}: {remainder} too many.</source>
        <translation>Đã giao {allocated} trên {total}: thừa {remainder}.</translation>
    </message>
</context>
<context>
    <name>Targets</name>
    <message>
        <source>{code} is a percentage: enter a target from 0 to 100.</source>
        <translation>{code} là chỉ tiêu tỷ lệ phần trăm: hãy nhập chỉ tiêu từ 0 đến 100.</translation>
    </message>
    <message>
        <source>Choose an indicator.</source>
        <translation>Hãy chọn chỉ tiêu.</translation>
    </message>
    <message>
        <source>The period is a year (2026) or a phase (2026-2030).</source>
        <translation>Kỳ là một năm (2026) hoặc một giai đoạn (2026-2030).</translation>
    </message>
    <message>
        <source>Enter a target of 0 or more.</source>
        <translation>Hãy nhập chỉ tiêu từ 0 trở lên.</translation>
    </message>
    <message>
        <source>Only the province sets a target for the whole province.</source>
        <translation>Chỉ cấp tỉnh mới giao được chỉ tiêu cho toàn tỉnh.</translation>
    </message>
    <message>
        <source>Only the province splits a total over its communes.</source>
        <translation>Chỉ cấp tỉnh mới chia được tổng chỉ tiêu cho các xã.</translation>
    </message>
    <message>
        <source>{code} is a percentage: a percentage is not split over communes. Give each commune its own percentage instead.</source>
        <translation>{code} là chỉ tiêu tỷ lệ phần trăm: tỷ lệ không chia cho các xã được. Hãy giao cho từng xã tỷ lệ riêng.</translation>
    </message>
    <message>
        <source>Split evenly, by villages or as typed.</source>
        <translation>Hãy chia đều, chia theo số thôn, bản hoặc tự nhập.</translation>
    </message>
    <message>
        <source>The province has no total for {code} in {period} yet. Enter the total first (the row &quot;Whole province&quot;), then split it.</source>
        <translation>Tỉnh chưa có tổng chỉ tiêu {code} cho {period}. Hãy nhập tổng trước (dòng &quot;Toàn tỉnh&quot;), rồi mới chia.</translation>
    </message>
    <message>
        <source>Enter a target as a number from 0 to {most}.</source>
        <translation>Hãy nhập chỉ tiêu là một số từ 0 đến {most}.</translation>
    </message>
    <message>
        <source>This province has no communes to split the total over.</source>
        <translation>Tỉnh này chưa có xã nào để chia tổng chỉ tiêu.</translation>
    </message>
    <message>
        <source>Only a whole number is split evenly or by villages; {total} is not one. Type the communes&apos; shares by hand instead.</source>
        <translation>Chỉ chia đều hoặc chia theo số thôn, bản được khi tổng là số nguyên; {total} không phải số nguyên. Hãy tự nhập phần của từng xã.</translation>
    </message>
    <message>
        <source>No commune has villages recorded yet, so the total cannot be split by villages. Split it evenly or type the shares.</source>
        <translation>Chưa xã nào nhập danh sách thôn, bản nên không chia theo số thôn, bản được. Hãy chia đều hoặc tự nhập phần của từng xã.</translation>
    </message>
    <message>
        <source>The communes&apos; targets add up to {allocated}, not to the total {total} (a difference of {remainder}). Change the shares until they add up; nothing was saved.</source>
        <translation>Chỉ tiêu của các xã cộng lại được {allocated}, không bằng tổng {total} (chênh lệch {remainder}). Hãy sửa phần của các xã cho khớp; chưa có gì được lưu.</translation>
    </message>
    <message>
        <source>Choose the commune the target is for.</source>
        <translation>Chọn xã được giao chỉ tiêu.</translation>
    </message>
    <message>
        <source>This target was allocated by the province and cannot be changed here. Ask the province to change it.</source>
        <translation>Chỉ tiêu này do tỉnh giao, không sửa được ở đây. Hãy đề nghị tỉnh điều chỉnh.</translation>
    </message>
    <message>
        <source>Period (year or phase)</source>
        <translation>Kỳ (năm hoặc giai đoạn)</translation>
    </message>
    <message>
        <source>no commune of this province is called &quot;{value}&quot; (row {row}).</source>
        <translation>tỉnh không có xã/phường nào tên &quot;{value}&quot; (dòng {row}).</translation>
    </message>
    <message>
        <source>no indicator has the code or name &quot;{value}&quot; (column {column}).</source>
        <translation>không có chỉ tiêu nào có mã hoặc tên &quot;{value}&quot; (cột {column}).</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; in {cell} is not a number from 0 to 1.000.000.000.</source>
        <translation>&quot;{value}&quot; ở ô {cell} không phải là số từ 0 đến 1.000.000.000.</translation>
    </message>
    <message>
        <source>{cell}: this commune and indicator already have a target earlier in the sheet.</source>
        <translation>{cell}: xã và chỉ tiêu này đã có chỉ tiêu ở phía trên trong bảng.</translation>
    </message>
    <message>
        <source>{cell}: this target was allocated by the province and cannot be changed here.</source>
        <translation>{cell}: chỉ tiêu này do tỉnh giao, không sửa được ở đây.</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; in {cell}: {code} is a percentage, from 0 to 100.</source>
        <translation>&quot;{value}&quot; ở ô {cell}: {code} là tỷ lệ phần trăm, từ 0 đến 100.</translation>
    </message>
    <message>
        <source>{file} does not say which year or phase its targets are for. Give it with --period (2026 or 2026-2030), or write it above the table.</source>
        <translation>Tệp {file} không ghi chỉ tiêu cho năm hay giai đoạn nào. Hãy ghi rõ bằng --period (2026 hoặc 2026-2030), hoặc viết vào phía trên bảng.</translation>
    </message>
    <message>
        <source>No table of targets was found in the first sheet: write the indicators&apos; codes (such as II.TTCD) across one row and the communes&apos; codes or names down the first column. &quot;targets export&quot; writes a sheet of the right shape.</source>
        <translation>Không tìm thấy bảng chỉ tiêu trong trang tính đầu tiên: hãy ghi mã các chỉ tiêu (ví dụ II.TTCD) trên một dòng và mã hoặc tên các xã ở cột đầu. Lệnh &quot;targets export&quot; tạo sẵn một bảng đúng mẫu.</translation>
    </message>
    <message>
        <source>{count} cells of the sheet were refused, so no target was saved. Correct them (or delete those rows or columns) and import the sheet again.</source>
        <translation>{count} ô trong bảng bị từ chối nên chưa lưu chỉ tiêu nào. Hãy sửa các ô đó (hoặc xoá các dòng, cột đó) rồi nhập lại bảng.</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Commune code</source>
        <translation>Mã xã</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>Danh mục chỉ tiêu</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị tính</translation>
    </message>
    <message>
        <source>Whole province</source>
        <translation>Toàn tỉnh</translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <source>Targets for {period}</source>
        <translation>Chỉ tiêu {period}</translation>
    </message>
    <message>
        <source>Whole province</source>
        <translation>Toàn tỉnh</translation>
    </message>
    <message>
        <source>Allocate each commune&apos;s target; the communes receive them with the next bundle you send. An empty cell means no target. The last row is the whole province&apos;s total: &quot;Split the total…&quot; shares it over the communes. Percentages (%) are from 0 to 100.</source>
        <translation>Giao chỉ tiêu cho từng xã; các xã nhận được cùng gói dữ liệu tiếp theo bạn gửi. Ô để trống là không giao chỉ tiêu. Dòng cuối là tổng chỉ tiêu toàn tỉnh: &quot;Chia tổng chỉ tiêu…&quot; chia tổng đó cho các xã. Chỉ tiêu tỷ lệ (%) từ 0 đến 100.</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Chỉ tiêu giao</translation>
    </message>
    <message>
        <source>Your commune&apos;s own plan. Targets allocated by the province are grey and can only be changed by the province.</source>
        <translation>Kế hoạch riêng của xã. Chỉ tiêu do tỉnh giao có nền xám và chỉ tỉnh mới sửa được.</translation>
    </message>
    <message>
        <source>Allocated by the province</source>
        <translation>Do tỉnh giao</translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation>Nhập từ Excel…</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>Xuất ra Excel…</translation>
    </message>
    <message>
        <source>Split the total…</source>
        <translation>Chia tổng chỉ tiêu…</translation>
    </message>
    <message>
        <source>&quot;{text}&quot; is not a number. Enter a number of 0 or more, or leave the cell empty; nothing was saved.</source>
        <translation>&quot;{text}&quot; không phải là số. Hãy nhập số từ 0 trở lên hoặc để trống ô; chưa có gì được lưu.</translation>
    </message>
    <message>
        <source>{code} is a percentage: a percentage is not split over communes. Give each commune its own percentage instead.</source>
        <translation>{code} là chỉ tiêu tỷ lệ phần trăm: tỷ lệ không chia cho các xã được. Hãy giao cho từng xã tỷ lệ riêng.</translation>
    </message>
    <message>
        <source>Import targets from Excel</source>
        <translation>Nhập chỉ tiêu từ Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>{count} targets saved.</source>
        <translation>Đã lưu {count} chỉ tiêu.</translation>
    </message>
    <message>
        <source>Export targets to Excel</source>
        <translation>Xuất chỉ tiêu ra Excel</translation>
    </message>
</context>
<context>
    <name>TargetsSheetPreview</name>
    <message>
        <source>Targets from {file}</source>
        <translation>Chỉ tiêu từ tệp {file}</translation>
    </message>
    <message>
        <source>Commune / cell</source>
        <translation>Xã / ô</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>Chỉ tiêu</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Sau</translation>
    </message>
    <message>
        <source>Refused ({n})</source>
        <translation>Bị từ chối ({n})</translation>
    </message>
    <message>
        <source>New ({n})</source>
        <translation>Mới ({n})</translation>
    </message>
    <message>
        <source>Changed ({n})</source>
        <translation>Thay đổi ({n})</translation>
    </message>
    <message>
        <source>{n} cells are refused (reasons below), so nothing can be saved. Correct the sheet and import it again.</source>
        <translation>{n} ô bị từ chối (lý do ở dưới) nên chưa thể lưu. Hãy sửa bảng rồi nhập lại.</translation>
    </message>
    <message>
        <source>Targets for {period}: {new} new, {changed} changed, {same} unchanged. Nothing has been saved yet.</source>
        <translation>Chỉ tiêu {period}: {new} mới, {changed} thay đổi, {same} giữ nguyên. Chưa lưu gì.</translation>
    </message>
    <message>
        <source>Save these targets</source>
        <translation>Lưu các chỉ tiêu này</translation>
    </message>
</context>
<context>
    <name>TrashPage</name>
    <message>
        <source>Person</source>
        <translation>Người</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Tổ/nhóm</translation>
    </message>
    <message>
        <source>Meeting or activity</source>
        <translation>Sinh hoạt hoặc hoạt động</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Trusted-address cases</source>
        <translation>Vụ việc của Địa chỉ tin cậy</translation>
    </message>
    <message>
        <source>Deleted at</source>
        <translation>Thời điểm xóa</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Restore the selected record</source>
        <translation>Khôi phục bản ghi đã chọn</translation>
    </message>
    <message>
        <source>Recently deleted</source>
        <translation>Đã xóa gần đây</translation>
    </message>
    <message>
        <source>Nothing is erased: deleted records wait here and can be restored with everything that belonged to them.</source>
        <translation>Không có gì bị xóa hẳn: bản ghi đã xóa nằm ở đây và có thể khôi phục cùng mọi thứ gắn với nó.</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>Choose one of the former communes that were merged into this commune.</source>
        <translation>Hãy chọn một trong các xã cũ đã được sáp nhập vào xã này.</translation>
    </message>
    <message>
        <source>The province records only its own activities; a commune&apos;s records are changed by the commune.</source>
        <translation>Tỉnh chỉ ghi các hoạt động của chính tỉnh; số liệu của xã do xã sửa.</translation>
    </message>
    <message>
        <source>{code} is not one of the former communes merged into this commune ({codes}).</source>
        <translation>{code} không phải là một trong các xã cũ đã sáp nhập vào xã này ({codes}).</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>Please correct: {problems}</source>
        <translation>Vui lòng sửa: {problems}</translation>
    </message>
    <message>
        <source>This field is required.</source>
        <translation>Không được để trống ô này.</translation>
    </message>
</context>
<context>
    <name>Villages</name>
    <message>
        <source>The commune already has a village with this name.</source>
        <translation>Xã đã có thôn/bản trùng tên này.</translation>
    </message>
    <message>
        <source>Choose two different villages.</source>
        <translation>Hãy chọn hai thôn/bản khác nhau.</translation>
    </message>
    <message>
        <source>Only current villages can be merged.</source>
        <translation>Chỉ gộp được các thôn/bản hiện có.</translation>
    </message>
</context>
<context>
    <name>VillagesPage</name>
    <message>
        <source>Village</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Extremely difficult</source>
        <translation>Đặc biệt khó khăn</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Quyết định</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>Merged into</source>
        <translation>Đã gộp vào</translation>
    </message>
    <message>
        <source>Show villages that were merged</source>
        <translation>Hiện cả các thôn/bản đã gộp</translation>
    </message>
    <message>
        <source>Name of a new village, e.g. Bản Nà Sản</source>
        <translation>Tên thôn/bản mới, ví dụ: Bản Nà Sản</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Đổi tên</translation>
    </message>
    <message>
        <source>Extremely difficult: yes/no</source>
        <translation>Đặc biệt khó khăn: có/không</translation>
    </message>
    <message>
        <source>Merge the selected village into…</source>
        <translation>Gộp thôn/bản đã chọn vào…</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Gộp</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>Thôn/bản</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>Tên mới</translation>
    </message>
    <message>
        <source>Merge villages</source>
        <translation>Gộp thôn/bản</translation>
    </message>
    <message>
        <source>Merge {old} into {into}? Its people and groups move to {into}; past records keep the old name.</source>
        <translation>Gộp {old} vào {into}? Người và tổ/nhóm của thôn này chuyển sang {into}; các hồ sơ cũ vẫn giữ tên cũ.</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Set up this computer from the province&apos;s setup file…</source>
        <translation>Thiết lập máy này từ tệp thiết lập của tỉnh…</translation>
    </message>
    <message>
        <source>Set it up for a province…</source>
        <translation>Thiết lập cho một tỉnh…</translation>
    </message>
    <message>
        <source>Set up the national centre…</source>
        <translation>Thiết lập cho Trung ương…</translation>
    </message>
    <message>
        <source>For the Central Women&apos;s Union only: it receives every province&apos;s figures.</source>
        <translation>Chỉ dành cho Trung ương Hội LHPN Việt Nam: nơi nhận số liệu của mọi tỉnh.</translation>
    </message>
    <message>
        <source>Explore a demo commune</source>
        <translation>Dùng thử với xã mẫu</translation>
    </message>
    <message>
        <source>Explore a demo province</source>
        <translation>Xem thử một tỉnh mẫu</translation>
    </message>
    <message>
        <source>Welcome to da8desktop</source>
        <translation>Chào mừng đến với da8desktop</translation>
    </message>
    <message>
        <source>This computer is not set up yet. A commune officer sets it up from the setup file the province gave on a USB stick. At the province, set it up for your province. To learn the application, explore a demo commune with made-up people, groups and meetings; nothing is sent anywhere.</source>
        <translation>Máy tính này chưa được thiết lập. Cán bộ xã thiết lập từ tệp thiết lập tỉnh gửi qua USB. Ở tỉnh, hãy thiết lập cho tỉnh của mình. Để làm quen với chương trình, hãy dùng thử một xã mẫu với người, tổ/nhóm và buổi sinh hoạt giả định; không có gì được gửi đi.</translation>
    </message>
    <message>
        <source>Demo province</source>
        <translation>Tỉnh mẫu</translation>
    </message>
    <message>
        <source>Creating the demo province (a minute)…</source>
        <translation>Đang tạo tỉnh mẫu (khoảng một phút)…</translation>
    </message>
    <message>
        <source>Setup file from the province</source>
        <translation>Tệp thiết lập của tỉnh</translation>
    </message>
    <message>
        <source>Setup files (*.da8setup)</source>
        <translation>Tệp thiết lập (*.da8setup)</translation>
    </message>
    <message>
        <source>Set up</source>
        <translation>Thiết lập</translation>
    </message>
    <message>
        <source>Setup file of {province} for {commune}.

Fingerprint of the province in this file:
{f}

Call the province and ask them to read their fingerprint. Type the digits they read (spaces do not matter). If they differ, do not use this file.</source>
        <translation>Tệp thiết lập của {province} cho {commune}.

Mã nhận dạng của tỉnh trong tệp này:
{f}

Hãy gọi điện cho tỉnh và đề nghị tỉnh đọc mã nhận dạng. Gõ các chữ số tỉnh đọc (dấu cách không quan trọng). Nếu khác nhau, đừng dùng tệp này.</translation>
    </message>
    <message>
        <source>{commune} is set up.

Fingerprint of this computer: {mine}

Call the province and read them this number: they confirm this computer, and only then send it the commune&apos;s data.</source>
        <translation>Đã thiết lập xong {commune}.

Mã nhận dạng của máy này: {mine}

Hãy gọi điện cho tỉnh và đọc số này: tỉnh xác nhận máy này, sau đó mới gửi dữ liệu của xã.</translation>
    </message>
    <message>
        <source>Set up for a province</source>
        <translation>Thiết lập cho tỉnh</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>Tỉnh</translation>
    </message>
    <message>
        <source>{province} is set up. Its fingerprint is {f}: communes compare it when they set up their computers.</source>
        <translation>Đã thiết lập {province}. Mã nhận dạng là {f}: các xã đối chiếu mã này khi thiết lập máy.</translation>
    </message>
    <message>
        <source>Set up the national centre</source>
        <translation>Thiết lập cho Trung ương</translation>
    </message>
    <message>
        <source>This data file becomes the national centre&apos;s: it enrols provinces and receives their figures, and cannot be a province or a commune afterwards. Only the Central Women&apos;s Union sets up this. Continue?</source>
        <translation>Tệp dữ liệu này sẽ thành tệp của Trung ương: cấp tệp thiết lập cho các tỉnh và nhận số liệu của các tỉnh, sau đó không thể dùng cho tỉnh hay xã. Chỉ Trung ương Hội thiết lập tệp này. Tiếp tục?</translation>
    </message>
    <message>
        <source>The national centre is set up. Its fingerprint is {f}: provinces compare it when they connect to the centre.</source>
        <translation>Đã thiết lập cho Trung ương. Mã nhận dạng của Trung ương là {f}: các tỉnh đối chiếu mã này khi kết nối với Trung ương.</translation>
    </message>
    <message>
        <source>Creating the demo commune…</source>
        <translation>Đang tạo xã mẫu…</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>thiếu các tham số bắt buộc: %s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>không hiểu các tham số: %s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>lựa chọn không hợp lệ: %(value)r (chọn một trong: %(choices)s)</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>tham số %(argument_name)s: %(message)s</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>cần một giá trị</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>giá trị không hợp lệ: %(value)r</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>không dùng được cùng với %s</translation>
    </message>
</context>
</TS>
