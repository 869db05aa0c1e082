import Foundation

/// Fuzhou plan 附件3 县（市）区工作任务清单: the 30 tasks, verbatim (the PDF's stray spaces around numbers removed),
/// with how each 完成时间 is scheduled (a date in the campaign year, or monthly by day N).
enum FuzhouTaskList {
    struct Row { let content: String; let responsible: String; let dueText: String; let schedule: Campaigns.Schedule; let due: String }

    static let rows: [Row] = [
        Row(content: "加强整治工作专班力量", responsible: "县（市）区房管（住建）局", dueText: "5月15日前", schedule: .date, due: "05-15"),
        Row(content: "联合县（市）区有关部门制定配套整治工作方案", responsible: "县（市）区房管（住建）局", dueText: "5月15日前", schedule: .date, due: "05-15"),
        Row(content: "会同县（市）区有关部门召开属地整治工作部署会，对整治工作迅速动员部署", responsible: "县（市）区房管（住建）局、发改、自然资源、市场监管、城管部门", dueText: "5月15日前", schedule: .date, due: "05-15"),
        Row(content: "定期召开整治参与部门协作会议", responsible: "县（市）区房管（住建）局、发改、自然资源、市场监管、城管部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "定期召开“点题整治”推进会，交流分享经验做法，通报整治工作情况", responsible: "县（市）区房管（住建）局、发改、自然资源、市场监管、城管部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "跟踪、督办群众来信、来访反映专项整治问题的投诉件，实行销号管理", responsible: "县（市）区房管（住建）局", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "建立“双台账”，对照整治方案，明确月度“工作目标及节点要求”，按月更新报送“双台账”以及整治工作进展情况", responsible: "县（市）区房管（住建）局", dueText: "每月20日前", schedule: .monthly, due: "20"),
        Row(content: "组织物业服务企业开展自查自纠，并建立自查自纠台账", responsible: "县（市）区房管（住建）局", dueText: "5月底前", schedule: .date, due: "05-31"),
        Row(content: "汇总建立物业小区自查自纠和公共收益银行账户台账", responsible: "县（市）区房管（住建）局", dueText: "5月底前", schedule: .date, due: "05-31"),
        Row(content: "开展交叉督导，形成交叉督导报告", responsible: "县（市）区房管（住建）局", dueText: "6月底前", schedule: .date, due: "06-30"),
        Row(content: "联合县（市）区协同部门对属地整治情况进行专项督导和抽查核实，对检查中发现的重点问题进行督办；各协同部门通过日常检查与专项督导、明察与暗访相结合等方式开展抽查核实，抽查核实比例不少于物业小区总数的50%", responsible: "县（市）区房管（住建）局、发改、自然资源、市场监管、城管部门", dueText: "7月至8月", schedule: .date, due: "08-31"),
        Row(content: "坚持日常检查与专项督导相结合、明察与暗访相结合，主动邀请当地人大代表、政协委员等行风监督员定期开展抽查核实，将检查结果报送市级整治工作专班", responsible: "县（市）区房管（住建）局、发改、自然资源、市场监管、城管部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "依托室组地联动监督机制，加强专项整治工作推进情况的监督推动，对推动整治工作推进较慢、不见实效的街道（乡镇），及时督促提醒、约谈，并由县（市）区整治工作专班积极主动向当地纪检监察部门汇报整治工作", responsible: "县（市）区房管（住建）局、发改、自然资源、市场监管、城管部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "与各有关部门加强部门联动，共享信息，对受罚企业及时实施联合惩戒，通报、曝光典型案例", responsible: "县（市）区房管（住建）局、发改、自然资源、市场监管、城管部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "联合协同部门对“点题整治”过程中发现的违法违规案件依法进行查处", responsible: "县（市）区房管（住建）局、发改、自然资源、市场监管、城管部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "每月对街道（乡镇）整治工作推进情况进行跟踪调度，对整治工作重视不够、推动不力、进展缓慢的地方进行督办、约谈。", responsible: "县（市）区房管（住建）局", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "督促、指导街道（乡镇）对辖区物业“点题整治”情况进行全面检查，抽查核实率达100%", responsible: "县（市）区房管（住建）局", dueText: "8月底前", schedule: .date, due: "08-31"),
        Row(content: "继续邀请人大代表、政协委员等担任行风监督员，采取公开监督和明察暗访等形式开展巡查监督", responsible: "县（市）区房管（住建）局", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "及时约谈公共收益管理不规范的物业服务企业，依法查处违法违规行为，通报曝光典型案例，对物业服务企业的不良行为予以信用扣分，记入企业信用档案", responsible: "县（市）区房管（住建）局", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "依法依规归集相关部门推送的物业服务企业信用信息、在“信用中国（福建福州）”网站公示；对依法列入严重失信惩戒对象名单的物业服务企业，通过联合奖惩系统推送至相关部门实施失信联合惩戒", responsible: "县（市）区发改部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "负责核实规划许可情况，配合城管部门对物业服务企业擅自侵占小区公共空间等违法建设是否可以采取改正措施消除对规划实施影响作出认定", responsible: "县（市）区自然资源部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "依法查处物业服务企业利用不公平格式条款侵害业主权益的违法行为，依照《企业信息公示暂行条例》，将各有关单位通过部门协同监管平台，向国家企业信用信息公示系统（福建）推送的涉及物业服务经营主体的行政处罚、抽查检查结果等信用信息，记于相对应经营主体名下并依法公示，强化对有关经营主体的信用约束", responsible: "县（市）区市场监管部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "根据《中共福州市委、福州市人民政府关于开展城市管理相对集中行政处罚权试点工作的决定》《福州市城市管理委员会 福州市住房保障和房产管理局关于移交城市管理相对集中行政处罚权事项清单和加强执法协作的备忘录》，在行使相对集中行政处罚权区域范围内对物业服务企业擅自侵占小区公共空间、擅自改变物业服务用房用途等违法案件行使行政处罚权", responsible: "县（市）区城管部门", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "选树公共收益管理示范小区，鼓楼、台江、仓山、晋安区培育不少于5个以上公共收益管理示范小区，长乐区、福清市培育不少于2个以上，其余县区培育不少于1个以上", responsible: "县（市）区房管（住建）局", dueText: "10月底前", schedule: .date, due: "10-31"),
        Row(content: "在县（市）区官方网站、微信公众号上设立“点题整治”专栏，公布投诉举报电话、邮箱", responsible: "县（市）区房管（住建）局", dueText: "5月15日前", schedule: .date, due: "05-15"),
        Row(content: "指导各街道（乡镇）、居（村）委会、物业服务企业充分利用电视、报纸、海报、广播、官网、微信公众号、抖音、手机短信、梯视等方式，对整治工作进行广泛宣传", responsible: "县（市）区房管（住建）局", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "指导街道（乡镇）约谈拒不公示公共收益收支情况、自查自纠结果弄虚作假、整改不力的物业服务企业，并予通报曝光、信用减分", responsible: "县（市）区房管（住建）局", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
        Row(content: "指导县（市）区物业管理协会加强行业自律，协助组织物业服务企业开展自查自纠", responsible: "县（市）区房管（住建）局", dueText: "6月底前", schedule: .date, due: "06-30"),
        Row(content: "指导县（市）区物业管理协会加大专题整治专项行动宣传力度，加强政策法规、公共收益相关知识宣传", responsible: "县（市）区房管（住建）局", dueText: "6月底前", schedule: .date, due: "06-30"),
        Row(content: "配合市房管局，对全市“点题整治”工作开展情况及效果进行明察暗访、实地调研", responsible: "县（市）区房管（住建）局", dueText: "持续推进至10月底", schedule: .date, due: "10-31"),
    ]
}
