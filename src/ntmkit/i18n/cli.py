"""The command line: headings, legends, confirmations, notes and its own usage errors."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # How a line on standard error starts, and the advice after a usage error.
    "error": ("ntmkit: lỗi: {message}", "ntmkit: error: {message}"),
    "note": ("ntmkit: lưu ý: {message}", "ntmkit: note: {message}"),
    "warning": ("ntmkit: cảnh báo: {message}", "warning: {message}"),
    "see_help": ("(xem '{prog} --help')", "(see '{prog} --help')"),
    "no_message": ("(không có nội dung)", "(no message)"),
    "or": (" hoặc ", " or "),
    "output": ("đầu ra", "output"),
    "internal_error": ("lỗi nội bộ ({detail}); xin hãy báo lỗi này kèm theo lệnh và dữ liệu đầu "
                       "vào đã gây ra nó",
                       "internal error ({detail}); please report it with the command and input "
                       "that caused it"),
    "too_large": ("dữ liệu đầu vào quá lớn hoặc lồng nhau quá sâu ({kind})",
                  "the input is too large or too deeply nested ({kind})"),
    # Usage errors the command line writes itself (exit code 2).
    "choose_command": ("hãy chọn một lệnh: {commands} (xem 'ntmkit --help')",
                       "choose a command: {commands} (ntmkit --help says more)"),
    "choose_action": ("hãy chọn việc cần làm với bộ tiêu chí: {actions} "
                      "(xem 'ntmkit criteria --help')",
                      "choose what to do with criteria: {actions} "
                      "(ntmkit criteria --help says more)"),
    "bad_date": ("cần một ngày dạng YYYY-MM-DD, không phải {text}",
                 "expected a date YYYY-MM-DD, got {text}"),
    "bad_year": ("cần một năm, ví dụ 2024, không phải {text}",
                 "expected a year such as 2024, got {text}"),
    "year_range": ("cần một năm từ 1 đến 9999, không phải {text}",
                   "expected a year between 1 and 9999, got {text}"),
    "bad_env_lang": ("biến môi trường {name}={value}: cần vi hoặc en",
                     "environment variable {name}={value}: expected vi or en"),
    "deprecated_version": ("'{prog} --version' đã cũ và sẽ bị bỏ ở bản phát hành sau; hãy dùng "
                           "--set-version (ntmkit --version cho biết phiên bản của chương trình)",
                           "'{prog} --version' is deprecated and will be removed in the next "
                           "release; use --set-version (ntmkit --version is the program's "
                           "version)"),
    "pin_twice": ("--set {key} và --set-version {version} ghim hai phiên bản khác nhau; chỉ ghi "
                  "phiên bản một lần",
                  "--set {key} and --set-version {version} pin different versions; give the "
                  "version once"),
    "need_key": ("hãy ghi bộ tiêu chí dạng ID@VERSION, ví dụ {example} (các phiên bản của "
                 "{set_id}: {versions})",
                 "give the set as ID@VERSION, e.g. {example} (versions of {set_id}: "
                 "{versions})"),
    "set_file_pinned": ("--set {file} là một tệp bộ tiêu chí, được dùng nguyên như vậy: bỏ "
                        "--set-version",
                        "--set {file} is a set file, used as it is: leave out --set-version"),
    "pin_and_on": ("--set {key} đã ghim một phiên bản, còn --on chọn phiên bản theo ngày: chỉ "
                   "dùng một trong hai",
                   "--set {key} pins a version; --on picks one by date: give one of them"),
    # Errors in what the command was given (exit code 1).
    "need_year": ("hãy cho --year, --on hoặc --set-version, hoặc ghi năm ở mọi dòng của tệp",
                  "give --year, --on or --set-version, or a year in every row of the file"),
    "several_versions": ("năm của các dòng thuộc nhiều phiên bản của {set_id} ({versions}); "
                         "hãy ghim một phiên bản bằng --set-version hoặc tách tệp",
                         "the rows' years fall under several versions of {set_id} "
                         "({versions}); pin one with --set-version or split the file"),
    "points_need_version": ("{set_id} là một bộ tính điểm: hãy cho --set-version, --on hoặc "
                            "--year để chọn phiên bản",
                            "{set_id} is a points set: give --set-version, --on or --year to "
                            "pick its version"),
    "xlsx_format": ("-o {output} ghi một sổ tính gồm các kết luận và các khoảng cách còn thiếu: "
                    "bỏ --format {fmt}, hoặc ghi ra tệp .{fmt}",
                    "-o {output} writes a workbook of verdicts and gaps: leave out --format "
                    "{fmt}, or write a .{fmt} file"),
    "xlsx_points": ("{set_id} là một bộ tính điểm: bảng xếp hạng được ghi dạng bảng, json hoặc "
                    "csv (-o xep-hang.csv), không ghi ra tệp .xlsx",
                    "{set_id} is a points set: its ranking is written as a table, json or csv "
                    "(-o ranking.csv), not as .xlsx"),
    "need_file": ("hãy ghi tệp danh sách xã sau mã mục tiêu",
                  "give the file of communes after the target id"),
    "cannot_read": ("{file}: không đọc được tệp: {reason}", "{file}: cannot read: {reason}"),
    "tiers.empty_code": ("{file}, dòng {row}: mã để trống", "{file}, row {row}: the code is empty"),
    "tiers.code_twice": ("{file}, dòng {row}: mã {code} xuất hiện hai lần",
                         "{file}, row {row}: code {code} appears twice"),
    "tiers.unknown_tier": ("{file}, dòng {row}, cột 'tier': không có hạng {tier}; hãy dùng một "
                           "trong {tiers} hoặc để trống",
                           "{file}, row {row}, column 'tier': unknown tier {tier}; use one of "
                           "{tiers} or leave it empty"),
    # What a command did.
    "on_chose": ("ntmkit: --on {on} chọn {key} (hiệu lực từ {effective}{until})",
                 "ntmkit: --on {on} chose {key} (in force from {effective}{until})"),
    "superseded": (", bị thay thế từ {date}", ", superseded on {date}"),
    "wrote_cells": ("đã ghi {count} ô vào {output}", "wrote {count} cells to {output}"),
    "wrote_set": ("đã ghi {key} ({fingerprint}) vào {output}; dùng tệp này với --set {output}, "
                  "hoặc nạp trong Python bằng ntmkit.registry.load({path})",
                  "wrote {key} ({fingerprint}) to {output}; use it with --set {output}, or "
                  "load it in Python with ntmkit.registry.load({path})"),
    "wrote_export": ("đã ghi {count} phiên bản bộ tiêu chí, index.json và schemas/ vào {output}",
                     "wrote {count} set versions, index.json and schemas/ to {output}"),
    "wrote_report": ("đã ghi {output} ({count} xã, {key})",
                     "wrote {output} ({count} communes, {key})"),
    "wrote_points_report": ("đã ghi {output} ({count} đơn vị, {key})",
                            "wrote {output} ({count} units, {key})"),
    # ntmkit assess: the table of communes.
    "assess.code": ("Mã xã", "Code"),
    "assess.name": ("Tên xã", "Name"),
    "assess.column": ("Cột ngưỡng", "Column"),
    "assess.met": ("Đạt", "Met"),
    "assess.verdict": ("Kết luận", "Verdict"),
    "assess.not_met": ("Chưa đạt", "Not met"),
    "assess.unknown": ("Chưa rõ", "Unknown"),
    "assess.declared": ("Khai báo", "Declared"),
    "assess.fingerprint": ("mã băm {fingerprint}", "fingerprint {fingerprint}"),
    "assess.province_set": ("{count} xã dùng bộ tiêu chí riêng của tỉnh: {why}",
                            "{count} commune(s) use their province's own set: {why}"),
    "assess.unknown_legend": ("'Chưa rõ': tiêu chí thiếu số liệu hoặc chưa biết ngưỡng (không "
                              "bao giờ tính là Đạt).",
                              "'Unknown': criteria lacking data or a known threshold (never "
                              "counted as met)."),
    "assess.legend.provisional": ("* tạm tính: dựa trên giá trị ứng viên của một ngưỡng chưa "
                                  "được xác nhận",
                                  "* provisional: rests on the candidate value of an "
                                  "unconfirmed threshold"),
    "assess.legend.declared": ("d: kết luận do người nhập khai báo (hồ sơ thẩm định)",
                               "d: verdict declared by the observer (appraisal record)"),
    "assess.legend.conflict": ("!: khai báo mâu thuẫn với số liệu chỉ tiêu (chưa rõ)",
                               "!: the declaration contradicts the indicator values (unknown)"),
    # ntmkit criteria list.
    "list.id": ("mã bộ", "id"),
    "list.version": ("phiên bản", "version"),
    "list.effective": ("hiệu lực", "effective"),
    "list.superseded": ("bị thay thế", "superseded"),
    "list.basis": ("căn cứ pháp lý", "legal basis"),
    "list.origin": ("nguồn gốc", "origin"),
    "list.title": ("tên", "title"),
    "origin.bundled": ("đi kèm ntmkit", "bundled"),
    "origin.plugin": ("gói mở rộng {name}", "plugin {name}"),
    "origin.points": ("ntmkit (bộ tính điểm)", "ntmkit (points)"),
    # ntmkit criteria show.
    "show.header": ("{act}; hiệu lực từ {effective}; đối chiếu văn bản ngày {checked}; mã băm "
                    "{fingerprint}",
                    "{act}; effective {effective}; checked {checked}; fingerprint "
                    "{fingerprint}"),
    "show.incomplete": ("(chưa đủ chỉ tiêu)", "(indicators incomplete)"),
    "show.sources": ("Nguồn:", "Sources:"),
    "show.does_not_apply": ("không áp dụng", "does not apply"),
    "show.achieved": ("Đạt", "achieved"),
    "show.candidate": ("giá trị ứng viên {value}", "candidate {value}"),
    # ntmkit progress.
    "progress.list.target": ("mục tiêu", "target"),
    "progress.list.year": ("năm", "year"),
    "progress.list.value": ("giá trị", "value"),
    "progress.list.denominator": ("mẫu số", "denominator"),
    "progress.list.confidence": ("độ tin cậy", "confidence"),
    "progress.all": ("tất cả", "all"),
    "progress.target": ("Mục tiêu", "Target"),
    "progress.year": ("Năm", "Year"),
    "progress.basis": ("Cơ sở", "Basis"),
    "progress.denominator": ("Mẫu số", "Denominator"),
    "progress.current": ("Hiện có", "Current"),
    "progress.required": ("Cần đạt", "Required"),
    "progress.more_needed": ("Còn thiếu", "More needed"),
    "progress.outcome": ("Kết quả", "Outcome"),
    "progress.unknown_more": ("+{count} chưa rõ", "+{count} unknown"),
    "progress.approximate": ("(mục tiêu 'khoảng': tính như 'ít nhất')",
                             "(an 'about' target: counted as 'at least')"),
    "progress.closest": ("Gần đạt nhất:", "Closest to counting:"),
    "progress.code": ("Mã", "Code"),
    "progress.name": ("Tên", "Name"),
    "progress.not_met": ("Tiêu chí chưa đạt", "Criteria not met"),
    "progress.unknown": ("Chưa rõ", "Unknown"),
    "progress.distance": ("Khoảng cách", "Distance"),
}
