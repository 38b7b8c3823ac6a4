<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
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
    <name>BackgroundTask</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>fill the data file with a realistic demo commune (or add demo data to it)</source>
        <translation>tạo dữ liệu mẫu của một xã để dùng thử (hoặc thêm dữ liệu mẫu)</translation>
    </message>
    <message>
        <source>On a new data file, sets it up as a stand-alone demo commune (Xã Mường Phăng, Điện Biên) and fills it. On a file already set up for a commune, adds demo data for that commune. Run again with another --seed to add more.</source>
        <translation>Với tệp dữ liệu mới: thiết lập thành một xã mẫu độc lập (Xã Mường Phăng, Điện Biên) và điền dữ liệu. Với tệp đã thiết lập cho một xã: thêm dữ liệu mẫu cho xã đó. Chạy lại với --seed khác để thêm nữa.</translation>
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
        <source>show who this data file belongs to and how many records it holds</source>
        <translation>cho biết tệp dữ liệu thuộc đơn vị nào và có bao nhiêu bản ghi</translation>
    </message>
    <message>
        <source>print JSON for scripts instead of text</source>
        <translation>in JSON cho các chương trình khác thay vì văn bản</translation>
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
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Unexpected error</source>
        <translation>Lỗi ngoài dự kiến</translation>
    </message>
    <message>
        <source>Something went wrong. What you saved before is safe. The details were written to {log}; please send that file to the support team.</source>
        <translation>Đã có lỗi xảy ra. Những gì đã lưu trước đó vẫn an toàn. Chi tiết được ghi vào {log}; vui lòng gửi tệp đó cho bộ phận hỗ trợ.</translation>
    </message>
    <message>
        <source>Cannot open the data file</source>
        <translation>Không mở được tệp dữ liệu</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>Cannot create the folder {folder}: {reason}</source>
        <translation>Không tạo được thư mục {folder}: {reason}</translation>
    </message>
    <message>
        <source>Cannot open {location}: it is not a da8desktop data file, or it is damaged. Nothing was changed. Details: {reason}</source>
        <translation>Không mở được {location}: đây không phải tệp dữ liệu da8desktop hoặc tệp đã bị hỏng. Không có gì bị thay đổi. Chi tiết: {reason}</translation>
    </message>
    <message>
        <source>This data file is not set up yet. Load the demo commune or set up this computer first.</source>
        <translation>Tệp dữ liệu này chưa được thiết lập. Hãy tải xã mẫu hoặc thiết lập máy tính này trước.</translation>
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
        <source>New groups of this kind are no longer set up in phase {phase}.</source>
        <translation>Giai đoạn {phase} không thành lập mới loại tổ/nhóm này nữa.</translation>
    </message>
    <message>
        <source>This group has {count} members; {low}–{high} are expected.</source>
        <translation>Tổ/nhóm có {count} thành viên; quy định là {low}–{high}.</translation>
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
        <source>The value cannot be negative.</source>
        <translation>Giá trị không được là số âm.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>da8desktop — Project 8 records</source>
        <translation>da8desktop — Hồ sơ Dự án 8</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Tổng quan</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
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
        <source>Changes not yet sent: {count}</source>
        <translation>Thay đổi chưa gửi: {count}</translation>
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
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;About da8desktop</source>
        <translation>&amp;Giới thiệu da8desktop</translation>
    </message>
    <message>
        <source>About da8desktop</source>
        <translation>Giới thiệu da8desktop</translation>
    </message>
    <message>
        <source>da8desktop {version}
Records of Project 8 for commune and province Women&apos;s Unions.
Data file: {file}
Database schema: {schema}
Licence: GPL-3.0-or-later</source>
        <translation>da8desktop {version}
Hồ sơ Dự án 8 cho Hội LHPN xã và tỉnh.
Tệp dữ liệu: {file}
Phiên bản cơ sở dữ liệu: {schema}
Giấy phép: GPL-3.0-or-later</translation>
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
        <source>Choose female or male.</source>
        <translation>Hãy chọn nữ hoặc nam.</translation>
    </message>
    <message>
        <source>The birth year must be between 1900 and {year}.</source>
        <translation>Năm sinh phải từ 1900 đến {year}.</translation>
    </message>
    <message>
        <source>A CCCD number has 12 digits (an old CMND has 9).</source>
        <translation>Số CCCD có 12 chữ số (CMND cũ có 9 chữ số).</translation>
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
</context>
<context>
    <name>Records</name>
    <message>
        <source>The record was not found (it may have been deleted).</source>
        <translation>Không tìm thấy bản ghi (có thể đã bị xóa).</translation>
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
        <source>The new language is used the next time you open the application.</source>
        <translation>Ngôn ngữ mới sẽ được dùng từ lần mở chương trình tiếp theo.</translation>
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
    <name>Targets</name>
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
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Explore a demo commune</source>
        <translation>Dùng thử với xã mẫu</translation>
    </message>
    <message>
        <source>Welcome to da8desktop</source>
        <translation>Chào mừng đến với da8desktop</translation>
    </message>
    <message>
        <source>This computer is not set up yet. You can explore a demo commune with made-up people, groups and meetings to learn the application; nothing is sent anywhere.</source>
        <translation>Máy tính này chưa được thiết lập. Bạn có thể dùng thử một xã mẫu với người, tổ/nhóm và buổi sinh hoạt giả định để làm quen với chương trình; không có dữ liệu nào được gửi đi.</translation>
    </message>
    <message>
        <source>Creating the demo commune…</source>
        <translation>Đang tạo xã mẫu…</translation>
    </message>
    <message>
        <source>Demo commune</source>
        <translation>Xã mẫu</translation>
    </message>
</context>
</TS>
