//! The enumerated values of the format: the Chinese code-list words that get
//! printed. Each enum deserialises from exactly those words.

use serde::{Deserialize, Serialize};

macro_rules! code_list {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
        pub enum $name {
            $(#[serde(rename = $word)] $variant),+
        }

        impl $name {
            /// Every word of this code list, in the order of the standard.
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            /// The printed word.
            pub fn word(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.word())
            }
        }
    };
}

code_list!(
    /// 事项类型 (GB/T 39046-2020).
    Kind {
        Permit => "行政许可",
        Penalty => "行政处罚",
        Enforcement => "行政强制",
        Levy => "行政征收",
        Payment => "行政给付",
        Inspection => "行政检查",
        Confirmation => "行政确认",
        Reward => "行政奖励",
        Ruling => "行政裁决",
        OtherPower => "其他行政权力",
        PublicService => "公共服务",
    }
);

code_list!(
    /// 服务对象.
    Audience {
        Person => "自然人",
        Legal => "法人",
        Other => "其他组织",
    }
);

code_list!(
    /// 材料形式.
    Form {
        Original => "原件",
        Copy => "复印件",
        Both => "原件和复印件",
        Electronic => "电子",
    }
);

code_list!(
    /// 必要性.
    Necessity {
        Required => "必要",
        Optional => "非必要",
        Deferrable => "容缺后补",
        Pledge => "告知承诺",
    }
);

code_list!(
    /// 来源渠道.
    Source {
        Applicant => "申请人自备",
        Government => "政府部门核发",
        ELicense => "电子证照",
        Online => "在线填报",
        Other => "其他",
        DownloadOrWindow => "网上下载或窗口索取",
        Produced => "办理过程中生成",
    }
);

code_list!(
    /// 时限单位.
    Unit {
        WorkingDay => "工作日",
        Day => "自然日",
        Hour => "小时",
    }
);

code_list!(
    /// The unit of a notice's correction deadline (补正期限).
    CorrectionUnit {
        WorkingDay => "工作日",
        Day => "自然日",
    }
);

code_list!(
    /// 办件类型.
    CaseType {
        Immediate => "即办件",
        Promised => "承诺件",
    }
);

code_list!(
    /// Booklet paper size.
    Paper {
        A5 => "A5",
        A4 => "A4",
    }
);

impl Form {
    /// The originals and copies a material of this form needs when the data
    /// does not say.
    pub fn default_counts(self) -> (u32, u32) {
        match self {
            Form::Original => (1, 0),
            Form::Copy => (0, 1),
            Form::Both => (1, 1),
            Form::Electronic => (0, 0),
        }
    }
}

code_list!(
    /// 行使层级.
    Level {
        National => "国家级",
        Provincial => "省级",
        City => "市级",
        County => "县级",
        Town => "镇（乡、街道）级",
        Village => "村（社区）级",
    }
);

code_list!(
    /// 通办范围.
    Scope {
        City => "全市通办",
        Province => "全省通办",
        CrossProvince => "跨省通办",
        Nation => "全国通办",
    }
);

code_list!(
    /// 办理形式.
    Channel {
        Window => "窗口办理",
        Online => "网上办理",
        Mail => "邮寄办理",
        Kiosk => "自助终端",
        Mobile => "移动端",
    }
);

code_list!(
    /// 审批结果类型.
    ResultKind {
        Licence => "出证",
        Document => "出文",
        Other => "其他",
    }
);

code_list!(
    /// 送达方式 of the result.
    DeliveryWay {
        Window => "窗口领取",
        Post => "邮寄送达",
        Proxy => "委托他人领取",
        Download => "网上下载",
        None => "无",
    }
);

code_list!(
    /// What a law is to the matter: 设定依据 (creates it) or 实施依据.
    BasisRole {
        Setting => "设定依据",
        Implementing => "实施依据",
    }
);
